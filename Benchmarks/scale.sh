#!/usr/bin/env bash
# A bucket of 1,000,000 keys against one of 10: point reads (HEAD, GET of a 0-byte key) and
# listing pages must cost the same in both, since every lookup is an index seek and a listing
# reads only its page. Release build, one server, the shared runner's tools (s3util.py, s3load.c).
#   Benchmarks/scale.sh            (about 6 minutes, most of it creating the keys)
#   SCALE_KEYS=100000 Benchmarks/scale.sh
# Prints `bucket,metric,value` rows; needs python3 + boto3 and cc.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH_DIR:-../shared/bench}
N=${SCALE_KEYS:-1000000}
PORT=${SELF_PORT:-9396}
DUR=${BENCH_DURATION:-10}
swift build -c release --product cloudserver >&2
BIN=$(swift build -c release --show-bin-path)/cloudserver
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data" "$WORK/meta"
sed -e 's/"metricsPort": 8002/"metricsPort": 0/' -e 's/"logLevel": "info"/"logLevel": "warn"/' config.json \
    >"$WORK/config.json"
S3_CONFIG_FILE=$WORK/config.json S3DATAPATH=$WORK/data S3METADATAPATH=$WORK/meta "$BIN" --port "$PORT" \
    >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
cc -O2 -o "$WORK/s3load" "$BENCH/s3load.c"
export BENCH_ENDPOINT="http://127.0.0.1:$PORT" BENCH_ACCESS=accessKey1 BENCH_SECRET=verySecretKey1 \
    BENCH_REGION=us-east-1
S3U() { python3 "$BENCH/s3util.py" "$@"; }
load() { "$WORK/s3load" -a 127.0.0.1 -p "$PORT" "$@"; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

S3U mkbucket small
S3U mkbucket large
S3U presign small PUT 'k%07d' 10 "$WORK/put-small"
load -c 4 -d 60 -m PUT -f "$WORK/put-small" -n 10 >/dev/null
echo "# creating $N keys" >&2
S3U presign large PUT 'k%07d' "$N" "$WORK/put-large"
started=$(date +%s.%N)
created=$(load -c 16 -d 3600 -m PUT -f "$WORK/put-large" -n "$N")
echo "large,create_ops_s,$(echo "$created" | awk -v s="$started" -v n="$N" '{ "date +%s.%N" | getline e; printf "%.0f", n / (e - s) }')"
echo "large,create_errors,$(echo "$created" | field status)"
rm -f "$WORK/put-large"

for bucket in small large; do
    # 1,000 point reads spread over the bucket's keys (the small one's 10, cycled).
    count=$([ "$bucket" = small ] && echo 10 || echo 1000)
    python3 - "$bucket" "$count" "$N" "$WORK/head-$bucket" <<'PY'
import os, sys, urllib.parse, boto3
from botocore.config import Config
bucket, count, n, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s3 = boto3.client("s3", endpoint_url=os.environ["BENCH_ENDPOINT"], region_name="us-east-1",
                  aws_access_key_id=os.environ["BENCH_ACCESS"], aws_secret_access_key=os.environ["BENCH_SECRET"],
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
step = max(1, (n if bucket == "large" else 10) // count)
with open(out, "w") as f:
    for i in range(count):
        for op in ("head_object",):
            u = urllib.parse.urlsplit(s3.generate_presigned_url(op, Params={"Bucket": bucket, "Key": f"k{i * step:07d}"},
                                                                ExpiresIn=86400))
            f.write(f"{u.path}?{u.query}\n")
PY
    result=$(load -c 16 -d "$DUR" -m HEAD -f "$WORK/head-$bucket")
    echo "$bucket,head_c16_ops_s,$(echo "$result" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^requests=/) r = substr($i, 10); else if ($i ~ /^duration_us=/) d = substr($i, 13) } END { printf "%.0f", r / (d / 1e6) }')"
    echo "$bucket,head_c16_p50_ms,$(echo "$result" | field p50_us | awk '{ printf "%.3f", $1 / 1000 }')"
    echo "$bucket,head_c16_p99_ms,$(echo "$result" | field p99_us | awk '{ printf "%.3f", $1 / 1000 }')"
    echo "$bucket,head_c16_errors,$(echo "$result" | field status)"
done

# Listing: pages of 10 (the whole small bucket; a 10-key prefix deep inside the large one)
# and of 1,000 from a start-after in the middle; milliseconds, median of 30, over raw HTTP.
python3 - "$N" <<'PY'
import http.client, os, statistics, sys, time, urllib.parse, boto3
from botocore.config import Config
n = int(sys.argv[1])
endpoint = urllib.parse.urlsplit(os.environ["BENCH_ENDPOINT"])
s3 = boto3.client("s3", endpoint_url=os.environ["BENCH_ENDPOINT"], region_name="us-east-1",
                  aws_access_key_id=os.environ["BENCH_ACCESS"], aws_secret_access_key=os.environ["BENCH_SECRET"],
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
conn = http.client.HTTPConnection(endpoint.hostname, endpoint.port)
def timed(bucket, **params):
    url = urllib.parse.urlsplit(s3.generate_presigned_url("list_objects_v2", Params={"Bucket": bucket, **params}))
    samples = []
    for _ in range(30):
        start = time.perf_counter()
        conn.request("GET", f"{url.path}?{url.query}")
        body = conn.getresponse().read()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), body.count(b"<Key>")
middle = f"k{n // 2:07d}"
rows = [
    ("small", "list10_ms", timed("small", MaxKeys=10)),
    ("large", "list10_prefix_ms", timed("large", Prefix=middle[:-1], MaxKeys=10)),
    ("large", "list1000_start_after_middle_ms", timed("large", StartAfter=middle, MaxKeys=1000)),
    ("large", "list1000_first_page_ms", timed("large", MaxKeys=1000)),
]
for bucket, metric, (ms, keys) in rows:
    print(f"{bucket},{metric},{ms:.3f}")
    print(f"{bucket},{metric.removesuffix('_ms')}_keys,{keys}")
PY
echo "server,rss_mb,$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status")"
