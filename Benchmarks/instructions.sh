#!/usr/bin/env bash
# CPU instructions per request on the small-object path, counted by callgrind: independent of
# what else runs on the box, so it decides before/after questions that wall-clock runs on a
# shared machine cannot. Starts the release server under `valgrind --tool=callgrind` (file
# backend in a temp dir, the repo's config and accounts as Benchmarks/run.sh sets them), then
# for each operation zeroes the counters, sends N requests one after another on one keep-alive
# connection, dumps the counters and prints instructions per request (every thread of the server
# counts: event loop, worker, metadata writer).
#   Benchmarks/instructions.sh [OUTDIR]       N=2000 requests per operation
#   N=500 OPS=head_presigned,put_signed Benchmarks/instructions.sh
# Operations: head_presigned get_presigned put_presigned head_signed get_signed put_signed
# (4 KiB objects; pre-signed: SigV4 in the query, UNSIGNED-PAYLOAD; signed: Authorization
# header, PUT with the body's SHA-256). One dump per operation stays in OUTDIR for
#   callgrind_annotate --inclusive=yes OUTDIR/callgrind.out.OP | swift demangle --simplified | head -60
# Needs: valgrind, pip boto3; swift build -c release --product cloudserver first (or BIN=path).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-instructions-results}")
mkdir -p "$OUT"
BIN=${BIN:-$(swift build -c release --show-bin-path)/cloudserver}
[ -x "$BIN" ] || { echo "instructions.sh: no $BIN (swift build -c release --product cloudserver)" >&2; exit 2; }
PORT=${PORT:-9397}
WORK=$(mktemp -d)
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
sed -e "s/\"metricsPort\": 8002/\"metricsPort\": 0/" -e 's/"logLevel": "info"/"logLevel": "warn"/' \
    config.json > "$WORK/config.json"
rm -f "$OUT"/callgrind.out.*
# valgrind 3.19 cannot read the DWARF 5 that swiftc writes: profile a copy without debug info
# (the symbol table stays, so functions keep their names).
strip --strip-debug -o "$WORK/cloudserver" "$BIN"
env S3_CONFIG_FILE="$WORK/config.json" S3_LOCATION_FILE="$PWD/locationConfig.json" \
    S3AUTH_CONFIG="$PWD/conf/authdata.json" S3DATAPATH="$WORK/data" S3METADATAPATH="$WORK/meta" \
    valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$WORK/cloudserver" --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
export N=${N:-2000} OPS=${OPS:-head_presigned,get_presigned,put_presigned,head_signed,get_signed,put_signed}
export PORT SERVER WORK OUT
python3 "$(dirname "$0")/instructions.py" || { tail -20 "$WORK/server.log" >&2; exit 1; }
