#!/usr/bin/env bash
# Listing a versioned bucket whose keys are nearly all deleted: 100,000 delete markers (keys
# whose latest version is a delete marker) around 10 live keys. ListObjects walks master
# records only (see VersionedLayout, Sources/Metadata), so it should answer in milliseconds
# whatever the number of delete markers; ListObjectVersions pages through them.
#   Benchmarks/versioning.sh                 debug build (.build/debug/cloudserver)
#   CLOUDSERVER_BIN=path Benchmarks/versioning.sh
#   MARKERS=20000 Benchmarks/versioning.sh   a smaller bucket
# Needs: pip boto3. Prints one line per measurement (median and max of RUNS requests, ms).
set -euo pipefail
cd "$(dirname "$0")/.."
export CLOUDSERVER_BIN=${CLOUDSERVER_BIN:-.build/debug/cloudserver}
export MARKERS=${MARKERS:-100000} LIVE=${LIVE:-10} RUNS=${RUNS:-20}
[ -x "$CLOUDSERVER_BIN" ] || swift build --product cloudserver
PYTHONPATH=Tests/clients exec python3 - <<'EOF'
import os, statistics, tempfile, threading, time
from pathlib import Path

from clientlib import Server

markers, live, runs = int(os.environ["MARKERS"]), int(os.environ["LIVE"]), int(os.environ["RUNS"])
work = Path(tempfile.mkdtemp(prefix="bench-versioning-"))
srv = Server(work).start()
try:
    s3 = srv.client()
    bucket = "bench-versioning"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    # Live keys spread evenly among the deleted ones.
    step = markers // live
    live_keys = [f"k/{i * step + step // 2:07d}-live" for i in range(live)]
    for key in live_keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"live")

    # DeleteObjects of keys that never existed: one delete marker each, 1,000 a request,
    # 8 requests at a time.
    batches = [[f"k/{i:07d}" for i in range(start, min(start + 1000, markers))]
               for start in range(0, markers, 1000)]
    lock = threading.Lock()
    started = time.monotonic()

    def work_batches():
        client = srv.client()
        while True:
            with lock:
                if not batches:
                    return
                keys = batches.pop()
            got = client.delete_objects(Bucket=bucket, Delete={
                "Objects": [{"Key": k} for k in keys], "Quiet": True})
            assert not got.get("Errors"), got["Errors"][:1]

    threads = [threading.Thread(target=work_batches) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fill = time.monotonic() - started
    print(f"filled: {markers} delete markers + {live} live keys in {fill:.1f} s "
          f"({markers / fill:.0f} markers/s)")

    def measure(name, call, check):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - t0) * 1000)
            check(result)
        print(f"{name:58s} median {statistics.median(times):7.2f} ms   max {max(times):7.2f} ms")

    def keys_of(result):
        return [o["Key"] for o in result.get("Contents", [])]

    def is_live(result):
        assert keys_of(result) == live_keys, keys_of(result)[:3]

    measure("ListObjectsV2, whole bucket (10 keys)",
            lambda: s3.list_objects_v2(Bucket=bucket), is_live)
    measure("ListObjects (V1), whole bucket (10 keys)",
            lambda: s3.list_objects(Bucket=bucket), is_live)
    measure("ListObjectsV2, delimiter '/' (1 common prefix)",
            lambda: s3.list_objects_v2(Bucket=bucket, Delimiter="/"),
            lambda r: [p["Prefix"] for p in r["CommonPrefixes"]] == ["k/"])
    measure("ListObjectsV2, max-keys 1, start-after the 5th live key",
            lambda: s3.list_objects_v2(Bucket=bucket, MaxKeys=1, StartAfter=live_keys[4]),
            lambda r: keys_of(r) == [live_keys[5]])
    measure("ListObjectVersions, first page (1,000 entries)",
            lambda: s3.list_object_versions(Bucket=bucket),
            lambda r: len(r.get("Versions", [])) + len(r.get("DeleteMarkers", [])) == 1000)
    measure("ListObjectVersions, prefix of one live key",
            lambda: s3.list_object_versions(Bucket=bucket, Prefix=live_keys[3]),
            lambda r: [v["Key"] for v in r["Versions"]] == [live_keys[3]])
    measure("ListObjectsV2, a prefix holding only delete markers",
            lambda: s3.list_objects_v2(Bucket=bucket, Prefix="k/0000001", MaxKeys=1),
            lambda r: keys_of(r) == [])
finally:
    srv.stop()
EOF
