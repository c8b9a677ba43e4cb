# cloudserver image: a release build in Swift's Debian 12 image, run in a slim Debian 12 with
# only the shared libraries the binary links (the Swift runtime is linked in statically).
#
#   docker build -t cloudserver .
#   docker build --build-arg CLOUDSERVER_USER=scality -t cloudserver .   (unprivileged, 5.2.4)
#   docker run -d --name s3server -p 8000:8000 cloudserver
#
# Layout as the manual's `docker run -v` lines mount it: /usr/src/app/{config.json,
# locationConfig.json, conf/authdata.json, localData/, localMetadata/}.

FROM swift:6.3-bookworm AS build
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev zlib1g-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Package.swift alone first: dependencies are fetched once per change of it, not of the sources.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product cloudserver --static-swift-stdlib \
    && install -D -m 755 "$(swift build -c release --show-bin-path)/cloudserver" /out/cloudserver \
    && strip /out/cloudserver

FROM debian:bookworm-slim
# libssl3, zlib1g, libsqlite3-0: what the binary links (ldd), beside libc, libm, libstdc++6 and
# libgcc-s1, which the base image has. openssl makes the SSL=true certificates, jq edits
# config.json, curl runs the health check; ca-certificates lets the server reach HTTPS
# remotes (aws_s3 locations).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libssl3 zlib1g libsqlite3-0 libstdc++6 openssl jq curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/cloudserver /usr/local/bin/cloudserver

WORKDIR /usr/src/app
COPY config.json locationConfig.json docker-entrypoint.sh docker-healthcheck.sh ./
COPY conf/authdata.json conf/
COPY localData/.gitkeep localData/
COPY localMetadata/.gitkeep localMetadata/

# Section 5.2.4: the user `scality` (uid and gid 1001) owns /usr/src/app, so the server can run
# as it: `--build-arg CLOUDSERVER_USER=scality`, or `docker run --user 1001:1001`.
ARG CLOUDSERVER_USER=root
RUN groupadd -r -g 1001 scality \
    && useradd -u 1001 -g 1001 -d /usr/src/app -r scality \
    && chown -R scality:scality /usr/src/app
USER ${CLOUDSERVER_USER}

# 8000: S3 (HTTP, or HTTPS with SSL=true); 8002: /metrics, /live, /ready.
EXPOSE 8000 8002
HEALTHCHECK --interval=30s --timeout=10s --start-period=10s --retries=3 \
    CMD ["/usr/src/app/docker-healthcheck.sh"]
ENTRYPOINT ["/usr/src/app/docker-entrypoint.sh"]
CMD ["cloudserver"]
