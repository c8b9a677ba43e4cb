import CoreMetrics
import Data
import Foundation
import Logging
import S3API

#if canImport(Glibc)
    import Glibc
#endif

/// The data backends of a configuration: one per location of `locationConfig.json`, plus the
/// S3BACKEND backend that takes every object when placement (S3DATA=multiple) is off.
struct DataWiring {
    let gateway: LocationGateway
    let defaultLocation: String
    /// The file backend sharing S3DATAPATH, if any location uses it (for the crash sweep).
    let fileBackend: FileBackend?
    /// Location names whose data lives in `fileBackend`.
    let fileLocationNames: [String]
    /// Backends whose data lives in another service, probed at startup, with their endpoints.
    let remotes: [(name: String, endpoint: String, backend: any DataBackend)]

    /// The synthetic location names of the S3BACKEND backends.
    static let defaultFile = "__file"
    static let defaultMem = "__mem"

    /// Backend failures are counted through `metrics`.
    init(settings: Settings, metrics: any MetricsFactory) throws {
        var backends: [String: any DataBackend] = [:]
        var fileNames: [String] = []
        var remotes: [(name: String, endpoint: String, backend: any DataBackend)] = []
        let memCapacity = Self.memoryCapacity()
        let sharedMem = MemBackend(locationName: Self.defaultMem, capacityBytes: memCapacity)
        for (name, spec) in settings.locations {
            switch spec.type {
            case "file":
                backends[name] = FileBackend(root: settings.dataPath, locationName: name)
                fileNames.append(name)
            case "mem":
                backends[name] = MemBackend(locationName: name, capacityBytes: memCapacity)
            case "aws_s3":
                if let configuration = spec.awsS3 {
                    let backend = S3Backend(configuration: configuration)
                    backends[name] = backend
                    remotes.append((name, "\(configuration.endpoint)", backend))
                }
            case "azure":
                if let configuration = spec.azure {
                    let backend = AzureBackend(configuration: configuration)
                    backends[name] = backend
                    remotes.append((name, "\(configuration.endpoint)\(configuration.basePath)", backend))
                }
            default:
                break
            }
        }
        if settings.backend == "mem" {
            backends[Self.defaultMem] = sharedMem
            defaultLocation = Self.defaultMem
        } else {
            backends[Self.defaultFile] = FileBackend(root: settings.dataPath, locationName: Self.defaultFile)
            fileNames.append(Self.defaultFile)
            defaultLocation = Self.defaultFile
        }
        gateway = LocationGateway(backends: backends, defaultLocation: defaultLocation, metrics: metrics)
        fileBackend =
            fileNames.isEmpty ? nil : FileBackend(root: settings.dataPath, locationName: Self.defaultFile)
        fileLocationNames = fileNames
        self.remotes = remotes
    }

    /// Probes every remote location once in the background and logs its state: a remote that
    /// is down does not stop the server, its location just answers 503 until it is back.
    func reportRemoteStates(_ logger: Logger) {
        for remote in remotes {
            Thread.detachNewThread {
                let health = remote.backend.healthcheck()
                let metadata: Logger.Metadata = [
                    "location": "\(remote.name)", "endpoint": "\(remote.endpoint)",
                    "detail": "\(health.detail)",
                ]
                if health.ok {
                    logger.info("data location reachable", metadata: metadata)
                } else {
                    logger.warning("data location unreachable", metadata: metadata)
                }
            }
        }
    }

    /// The mem backend's cap: S3_MEM_CAPACITY_MB, else half of physical memory.
    static func memoryCapacity() -> Int64 {
        if let text = getenv("S3_MEM_CAPACITY_MB").map({ String(cString: $0) }), let mb = Int64(text), mb > 0
        {
            return mb * 1024 * 1024
        }
        let pages = Int64(sysconf(Int32(_SC_PHYS_PAGES)))
        let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
        return max(pages * pageSize / 2, 64 * 1024 * 1024)
    }
}
