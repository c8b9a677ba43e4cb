import CLinux
import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

// The two OpenSSL objects TLS needs, each owned by one class; no OpenSSL pointer leaves this
// file.

/// Owns one `SSL_CTX`: protocol settings, certificates and trust store that connections are
/// made from.
///
/// `SSL_CTX_free` "decrements the reference count of ctx, and removes the SSL_CTX object ...
/// if the reference count has reached 0" (SSL_CTX_free(3)), and every `SSL_new` takes a
/// reference of its own: a context replaced by a certificate reload lives on until its last
/// connection is freed.
///
/// `@unchecked Sendable`: configured by its owner before it is shared, then only read;
/// OpenSSL allows `SSL_new` on one context from many threads at once.
final class SSLContext: @unchecked Sendable {
    /// Which end of connections this context makes.
    enum Role { case server, client }

    private let context: OpaquePointer
    let role: Role

    /// A context for TLS 1.2 and newer. A peer that closes without `close_notify` is taken as
    /// end of stream (SSL_OP_IGNORE_UNEXPECTED_EOF), as on a plain socket: HTTP framing
    /// already detects a truncated message. Idle connections give their 34 KiB of record
    /// buffers back (SSL_MODE_RELEASE_BUFFERS), so keep-alive stays cheap.
    init(role: Role) throws(TLSError) {
        ERR_clear_error()
        guard let made = SSL_CTX_new(role == .server ? TLS_server_method() : TLS_client_method()) else {
            throw TLSError(function: "SSL_CTX_new", reason: TLSError.drainQueue())
        }
        context = made
        self.role = role
        try check("SSL_CTX_set_min_proto_version") { cs_ssl_ctx_set_min_tls12(context) }
        var options = cs_ssl_op_ignore_unexpected_eof()
        if role == .server { options |= cs_ssl_op_no_renegotiation() | cs_ssl_op_cipher_server_preference() }
        SSL_CTX_set_options(context, options)
        _ = cs_ssl_ctx_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
        if role == .client { SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil) }
    }

    deinit { SSL_CTX_free(context) }

    /// Server: the certificate and the chain behind it, leaf first ("the certificates must be
    /// in PEM format and must be sorted starting with the subject's certificate",
    /// SSL_CTX_use_certificate_chain_file(3)).
    func useCertificateChain(file: String) throws(TLSError) {
        try check("SSL_CTX_use_certificate_chain_file", path: file) {
            SSL_CTX_use_certificate_chain_file(context, file)
        }
    }

    /// Server: the private key, checked against the certificate loaded before.
    func usePrivateKey(file: String) throws(TLSError) {
        try check("SSL_CTX_use_PrivateKey_file", path: file) {
            SSL_CTX_use_PrivateKey_file(context, file, SSL_FILETYPE_PEM)
        }
        try check("SSL_CTX_check_private_key", path: file) { SSL_CTX_check_private_key(context) }
    }

    /// Server: every certificate of a PEM bundle appended to the chain sent to clients.
    /// `SSL_CTX_add1_chain_cert` takes its own reference ("add1 ... increments the reference
    /// count", SSL_CTX_add1_chain_cert(3)), so each certificate read is freed here.
    func appendChain(file: String) throws(TLSError) {
        ERR_clear_error()
        guard let bio = BIO_new_file(file, "r") else {
            throw TLSError(function: "BIO_new_file", reason: TLSError.drainQueue(), path: file)
        }
        defer { BIO_free(bio) }
        var count = 0
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
            defer { X509_free(certificate) }
            try check("SSL_CTX_add1_chain_cert", path: file) {
                cs_ssl_ctx_add1_chain_cert(context, certificate)
            }
            count += 1
        }
        // The read that ends the loop leaves "no start line" on the queue: the normal end.
        ERR_clear_error()
        guard count > 0 else {
            throw TLSError(
                function: "PEM_read_bio_X509", reason: "no PEM certificate in the file", path: file)
        }
    }

    /// Server: acknowledges the name a client sends in SNI (RFC 6066 section 3): one
    /// certificate serves every name, and the client checks it against the names it holds.
    /// Without a callback OpenSSL ignores the extension and does not acknowledge it.
    func acceptEveryServerName() {
        _ = cs_ssl_ctx_set_servername_callback(context) { _, _, _ in cs_ssl_tlsext_err_ok() }
    }

    /// Client: trusts the certificates of a PEM bundle, or the system store when nil
    /// (OpenSSL's default directory, Debian's /etc/ssl/certs).
    func trust(caFile: String?) throws(TLSError) {
        if let caFile {
            try check("SSL_CTX_load_verify_locations", path: caFile) {
                SSL_CTX_load_verify_locations(context, caFile, nil)
            }
        } else {
            try check("SSL_CTX_set_default_verify_paths") { SSL_CTX_set_default_verify_paths(context) }
        }
    }

    /// A new connection over `fd`, sharing this context.
    func makeConnection(fd: Int32) throws(TLSError) -> SSLConnection {
        ERR_clear_error()
        guard let ssl = SSL_new(context) else {
            throw TLSError(function: "SSL_new", reason: TLSError.drainQueue())
        }
        let connection = SSLConnection(ssl)
        try check("SSL_set_fd") { SSL_set_fd(ssl, fd) }
        if role == .server { SSL_set_accept_state(ssl) } else { SSL_set_connect_state(ssl) }
        return connection
    }
}

/// What one non-blocking OpenSSL call on a connection came to.
enum SSLStep {
    /// Done; the bytes read or written (0 for a handshake).
    case done(Int)
    /// Call again once the socket is readable.
    case wantRead
    /// Call again once the socket is writable.
    case wantWrite
    /// The peer ended the stream.
    case closed
    /// The connection is broken; nothing more may be sent on it.
    case failed(IOError)
}

/// Owns one `SSL`: "SSL_free() decrements the reference count of ssl, and removes the SSL
/// structure pointed to by ssl and frees up the allocated memory if the reference count has
/// reached 0" (SSL_free(3)). The socket stays the caller's (`SSL_set_fd` makes a BIO that
/// does not close it).
///
/// Used by one thread at a time, like the connection that holds it. Each call first empties
/// the thread's error queue: "The current thread's error queue must be empty before the
/// TLS/SSL I/O operation is attempted, or SSL_get_error() will not work reliably"
/// (SSL_get_error(3)).
final class SSLConnection {
    private let ssl: OpaquePointer
    /// A fatal error happened: "SSL_shutdown() must not be called if a previous fatal error
    /// has occurred on a connection" (SSL_shutdown(3)).
    private var broken = false

    fileprivate init(_ ssl: OpaquePointer) { self.ssl = ssl }

    deinit { SSL_free(ssl) }

    /// Client: the name to verify the certificate against and to send in SNI. An IP address
    /// is matched against the certificate's IP entries and not sent (RFC 6066 forbids
    /// literal addresses in SNI).
    func expect(host: String) throws(TLSError) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 {
            try check("X509_VERIFY_PARAM_set1_ip_asc") {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
            }
        } else {
            try check("SSL_set1_host") { SSL_set1_host(ssl, host) }
            try check("SSL_set_tlsext_host_name") { cs_ssl_set_tlsext_host_name(ssl, host) }
        }
    }

    /// True once the handshake has completed.
    var isEstablished: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Decrypted bytes that OpenSSL holds and that no socket readiness will announce.
    var pendingBytes: Int { Int(SSL_pending(ssl)) }

    /// One step of the handshake.
    func handshake() -> SSLStep {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        return step(result, "SSL_do_handshake", result == 1 ? 0 : nil)
    }

    /// Reads up to `buffer.count` (at most `Int32.max`) bytes.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> SSLStep {
        ERR_clear_error()
        let result = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        return step(result, "SSL_read", result > 0 ? Int(result) : nil)
    }

    /// Writes all of `bytes` (at most `Int32.max`), or nothing; a `wantRead`/`wantWrite` must
    /// be retried with the same bytes.
    func write(_ bytes: UnsafeRawBufferPointer) -> SSLStep {
        ERR_clear_error()
        let result = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        return step(result, "SSL_write", result > 0 ? Int(result) : nil)
    }

    /// Sends `close_notify` once, without waiting: the socket is about to be closed or
    /// half-closed, and the peer's answer is not needed.
    func sendCloseNotify() {
        guard !broken, isEstablished else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private func step(_ result: Int32, _ function: String, _ success: Int?) -> SSLStep {
        if let success { return .done(success) }
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let number = clinux_errno()
            let queued = TLSError.drainQueue(fallback: "")
            broken = true
            if number == 0 && queued.isEmpty { return .closed }
            if number == 0 { return .failed(IOError(errno: EPROTO, function: function, detail: queued)) }
            return .failed(IOError(errno: number, function: function))
        default:
            broken = true
            var reason = TLSError.drainQueue(fallback: "TLS error \(code)")
            let verify = SSL_get_verify_result(ssl)
            if verify != Int(cs_x509_v_ok()) {
                reason += ": " + String(cString: X509_verify_cert_error_string(verify))
            }
            return .failed(IOError(errno: EPROTO, function: function, detail: reason))
        }
    }
}
