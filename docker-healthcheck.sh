#!/usr/bin/env bash
# docker-healthcheck.sh: the image's HEALTHCHECK. Exits 0 when GET /_/healthcheck on the S3
# port answers 200, 1 otherwise. The port, the address and http or https come from the
# config.json the server reads (S3_CONFIG_FILE, else conf/config.json, else config.json in
# APP_DIR) and LISTEN_ADDR: `port` (8000) or the first `listenOn` entry, https when
# `certFilePaths` is set (the certificate is not checked: it may be self-signed for another
# name). The probe comes from 127.0.0.1 (or LISTEN_ADDR), which healthChecks.allowFrom (or
# HEALTHCHECKS_ALLOWFROM) must allow, as it does by default.
set -euo pipefail

cd "${APP_DIR:-/usr/src/app}"
if [ -n "${S3_CONFIG_FILE:-}" ]; then
    config=$S3_CONFIG_FILE
elif [ -f conf/config.json ]; then
    config=conf/config.json
else
    config=config.json
fi

first_listen=$(jq -r '(.listenOn // [])[0] // ""' "$config")
port=$(jq -r '.port // 8000' "$config")
host=127.0.0.1
if [ -n "$first_listen" ] && [ -z "${LISTEN_ADDR:-}" ]; then
    port=${first_listen##*:}
    host=${first_listen%:*}
elif [ -n "${LISTEN_ADDR:-}" ]; then
    host=$LISTEN_ADDR
fi
host=${host#[}
host=${host%]}
case "$host" in
    0.0.0.0 | ::) host=127.0.0.1 ;;
    *:*) host="[$host]" ;;
esac
scheme=http
if [ "$(jq -r 'has("certFilePaths")' "$config")" = "true" ]; then
    scheme=https
fi

# Docker reads 1 as unhealthy and reserves 2: any curl failure is 1.
curl --silent --show-error --fail --insecure --max-time 5 --output /dev/null \
    "$scheme://$host:$port/_/healthcheck" || exit 1
