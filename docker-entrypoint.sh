#!/usr/bin/env bash
# docker-entrypoint.sh: the image's entrypoint. Applies what the manual's environment
# variables (chapter 5.1) need beyond what the server reads itself, then execs the server, so
# that it runs as PID 1 and receives the container's signals (SIGTERM: graceful stop).
#
# The server reads these itself (see `cloudserver --help`), so they pass through unchanged:
#   ENDPOINT, LISTEN_ADDR, LOG_LEVEL, S3BACKEND, S3DATA, S3DATAPATH, S3METADATAPATH,
#   HEALTHCHECKS_ALLOWFROM, REPLICATION_GROUP_ID, SCALITY_ACCESS_KEY_ID, SCALITY_SECRET_ACCESS_KEY.
# This script adds:
#   SSL=true   a CA (ca.key, ca.crt) and a server certificate (server.key, server.crt) for
#              every ENDPOINT host, made with openssl in SSL_DIR (default: APP_DIR), then
#              `certFilePaths` in config.json, so the server speaks HTTPS (manual 2.7.4 and
#              5.1.6). They are kept across restarts while they still cover ENDPOINT.
#   S3_CREDENTIALS_FILE (default /run/secrets/s3-credentials), a Docker secret, when it
#              exists: either one line `ACCESS_KEY_ID:SECRET_ACCESS_KEY` (the format of s3fs'
#              passwd file; it becomes the CustomAccount of SCALITY_ACCESS_KEY_ID and
#              SCALITY_SECRET_ACCESS_KEY), or an authdata.json document (`{"accounts": [...]}`,
#              read by the server in place of conf/authdata.json). Blank lines and lines
#              starting with # are ignored. Credentials given as environment variables win.
#   APP_DIR    the application directory (default /usr/src/app); the server runs in it.
#   CLOUDSERVER_BIN  the server executable (default: cloudserver, looked up in PATH).
#
# Usage: docker-entrypoint.sh [cloudserver] [FLAG...]   configure, then exec the server
#        docker-entrypoint.sh COMMAND [ARG...]          exec any other command unchanged
set -euo pipefail

die() {
    echo "docker-entrypoint.sh: $*" >&2
    exit 1
}

note() {
    echo "docker-entrypoint.sh: $*" >&2
}

# The config.json the server will read: S3_CONFIG_FILE, else conf/config.json, else ./config.json.
config_file() {
    if [ -n "${S3_CONFIG_FILE:-}" ]; then
        echo "$S3_CONFIG_FILE"
    elif [ -f conf/config.json ]; then
        echo "$PWD/conf/config.json"
    else
        echo "$PWD/config.json"
    fi
}

# Applies the jq program $1 (with the remaining jq arguments) to the config file. The file is
# rewritten in place, keeping its inode, so that a config.json bind-mounted with `docker run -v`
# is updated; when it cannot be written (a read-only mount), the edited copy goes to a private
# temporary directory and S3_CONFIG_FILE points the server to it.
edit_config() {
    local file edited
    file=$(config_file)
    [ -r "$file" ] || die "cannot read $file"
    edited=$(mktemp)
    jq "$@" "$file" >"$edited" || die "cannot edit $file with jq"
    if [ -w "$file" ]; then
        cat "$edited" >"$file"
        rm -f "$edited"
    else
        local copy
        copy="$(mktemp -d)/config.json"
        mv "$edited" "$copy"
        export S3_CONFIG_FILE="$copy"
        note "$file is read-only: the server reads the edited copy $copy"
    fi
}

# SSL=true|false (any case; also 1/0, yes/no, on/off); unset or empty is false.
ssl_requested() {
    case "${SSL:-}" in
        [Tt][Rr][Uu][Ee] | 1 | [Yy][Ee][Ss] | [Oo][Nn]) return 0 ;;
        "" | [Ff][Aa][Ll][Ss][Ee] | 0 | [Nn][Oo] | [Oo][Ff][Ff]) return 1 ;;
        *) die "SSL must be true or false (got \"$SSL\")" ;;
    esac
}

# The hosts of ENDPOINT (a comma list), one a line, spaces trimmed.
endpoint_hosts() {
    local host
    local -a hosts
    IFS=',' read -r -a hosts <<<"${ENDPOINT:-}"
    for host in "${hosts[@]}"; do
        host="${host//[[:space:]]/}"
        [ -n "$host" ] && echo "$host"
    done
    return 0
}

# subjectAltName entries for the hosts on standard input: an IP literal as IP:, a name as DNS:
# for itself and for its virtual-hosted buckets (*.name).
subject_alt_names() {
    local host names=()
    while read -r host; do
        if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then
            names+=("IP:$host")
        else
            names+=("DNS:$host" "DNS:*.$host")
        fi
    done
    local IFS=','
    echo "${names[*]}"
}

# True when server.crt exists, was signed by ca.crt, and covers every ENDPOINT host.
certificate_covers() {
    local dir=$1 host
    shift
    [ -s "$dir/ca.key" ] && [ -s "$dir/ca.crt" ] && [ -s "$dir/server.key" ] && [ -s "$dir/server.crt" ] || return 1
    openssl verify -CAfile "$dir/ca.crt" "$dir/server.crt" >/dev/null 2>&1 || return 1
    for host in "$@"; do
        if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then
            openssl x509 -in "$dir/server.crt" -noout -checkip "$host" | grep -q "does match" || return 1
        else
            openssl x509 -in "$dir/server.crt" -noout -checkhost "$host" | grep -q "does match" || return 1
        fi
    done
}

# Makes the CA in $1 (unless one is there) and a server certificate for the hosts $2...,
# private keys readable by this user only. Returns non-zero on the first openssl failure.
make_certificates() {
    local dir=$1 status=0 extensions mask
    shift
    mask=$(umask)
    umask 077
    extensions=$(mktemp)
    {
        echo "basicConstraints=critical,CA:FALSE"
        echo "keyUsage=critical,digitalSignature,keyEncipherment"
        echo "extendedKeyUsage=serverAuth"
        echo "subjectKeyIdentifier=hash"
        echo "authorityKeyIdentifier=keyid,issuer"
        echo "subjectAltName=$(printf '%s\n' "$@" | subject_alt_names)"
    } >"$extensions"
    if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
            -keyout "$dir/ca.key" -out "$dir/ca.crt" -subj "/O=CloudServer/CN=CloudServer local CA" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
            2>/dev/null || status=1
    fi
    [ $status -ne 0 ] || openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/server.key" \
        -out "$dir/server.csr" -subj "/O=CloudServer/CN=$1" 2>/dev/null || status=1
    [ $status -ne 0 ] || openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 -extfile "$extensions" \
        -out "$dir/server.crt" 2>/dev/null || status=1
    rm -f "$extensions" "$dir/server.csr"
    umask "$mask"
    [ $status -ne 0 ] || chmod 644 "$dir/ca.crt" "$dir/server.crt" || status=1
    return $status
}

# Certificates for the ENDPOINT hosts (kept when the existing ones still cover them), then
# certFilePaths pointing at them.
setup_ssl() {
    local dir=${SSL_DIR:-$APP_DIR}
    local -a hosts
    mapfile -t hosts < <(endpoint_hosts)
    [ ${#hosts[@]} -gt 0 ] || die "SSL=true needs ENDPOINT, the host name clients use (manual 5.1.6)"
    mkdir -p "$dir" || die "cannot create $dir"
    if certificate_covers "$dir" "${hosts[@]}"; then
        note "SSL: keeping the certificate in $dir (it covers ${hosts[*]})"
    else
        make_certificates "$dir" "${hosts[@]}" || die "openssl could not make the certificates in $dir"
        note "SSL: made a CA ($dir/ca.crt) and a certificate for ${hosts[*]}"
    fi
    # shellcheck disable=SC2016 # $key, $cert and $ca are jq variables
    edit_config --arg key "$dir/server.key" --arg cert "$dir/server.crt" --arg ca "$dir/ca.crt" \
        '.certFilePaths = {key: $key, cert: $cert, ca: $ca}'
}

# Reads the credentials secret, when there is one.
load_credentials_secret() {
    local secret=${S3_CREDENTIALS_FILE:-/run/secrets/s3-credentials}
    [ -e "$secret" ] || return 0
    [ -r "$secret" ] || die "$secret exists but user $(id -un) (uid $(id -u)) cannot read it"
    if [ -n "${SCALITY_ACCESS_KEY_ID:-}${SCALITY_SECRET_ACCESS_KEY:-}" ]; then
        note "SCALITY_ACCESS_KEY_ID / SCALITY_SECRET_ACCESS_KEY are set: $secret is not used"
        return 0
    fi
    local content
    content=$(<"$secret")
    content="${content#"${content%%[![:space:]]*}"}"
    if [ "${content:0:1}" = "{" ]; then
        if [ -n "${S3AUTH_CONFIG:-}" ]; then
            note "S3AUTH_CONFIG is set: $secret is not used"
        else
            export S3AUTH_CONFIG="$secret"
        fi
        return 0
    fi
    local line pairs=()
    while IFS= read -r line || [ -n "$line" ]; do
        line="${line%$'\r'}"
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
        pairs+=("$line")
    done <"$secret"
    [ ${#pairs[@]} -eq 1 ] || die "$secret must hold one ACCESS_KEY_ID:SECRET_ACCESS_KEY line" \
        "(found ${#pairs[@]}); for several accounts give an authdata.json document"
    local access=${pairs[0]%%:*} secret_key=${pairs[0]#*:}
    [[ "${pairs[0]}" == *:* && -n "$access" && -n "$secret_key" ]] ||
        die "$secret: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY"
    export SCALITY_ACCESS_KEY_ID="$access" SCALITY_SECRET_ACCESS_KEY="$secret_key"
}

APP_DIR=${APP_DIR:-/usr/src/app}
cd "$APP_DIR" || die "no application directory $APP_DIR"

# Flags alone (or nothing) mean the server with those flags.
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
    set -- cloudserver "$@"
fi
if [ "$1" != "cloudserver" ]; then
    exec "$@"
fi
shift

load_credentials_secret
if ssl_requested; then
    setup_ssl
fi
exec "${CLOUDSERVER_BIN:-cloudserver}" "$@"
