#!/usr/bin/env bash
# Runs every test of the project: Swift unit and integration tests, then the real-client
# scenarios (aws-cli, boto3, s3cmd, rclone) against the built server. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in libssl-dev zlib1g-dev libsqlite3-dev openssl curl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# moto is the aws_s3 backend's peer in the Swift tests (DataTests start it themselves).
command -v moto_server >/dev/null 2>&1 || python3 -m pip install -q 'moto[server]' ||
    echo "warning: pip install moto[server] failed; the aws_s3 Swift tests will be skipped" >&2
# The Blob service stand-in (Tests/clients/azure_blob_standin.py) is the azure backend's peer in
# the Swift tests; it checks signatures with the azure-storage-blob SDK's signer.
python3 -c "import azure.storage.blob" >/dev/null 2>&1 || python3 -m pip install -q azure-storage-blob ||
    python3 -m pip install -q --break-system-packages azure-storage-blob ||
    echo "warning: pip install azure-storage-blob failed; the azure Swift tests will be skipped" >&2

swift build --build-tests
swift_status=0
swift test --skip-build || swift_status=$?

clients_status=0
CLOUDSERVER_BIN="$(swift build --show-bin-path)/cloudserver" bash Tests/run-clients.sh || clients_status=$?

echo "swift tests: exit $swift_status; client tests: exit $clients_status"
[ "$swift_status" -eq 0 ] && [ "$clients_status" -eq 0 ]
