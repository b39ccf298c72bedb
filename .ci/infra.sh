#!/usr/bin/env bash
# Brings up, idempotently, the real infrastructure the tests use on this machine:
#   Docker engine (Debian docker.io, vfs), an OCI registry on 127.0.0.1:5000 (Debian docker-registry),
#   Azurite blob on 127.0.0.1:10000 (npm), a local base image `local/debian:bookworm` (debootstrap),
#   Prometheus and promtool (Debian), wrk (Debian).
# Each step is skipped when its result already exists. Everything listens on loopback only.
set -euo pipefail
STATE=${EDGELOOP_INFRA_DIR:-/var/lib/edgeloop-ci}
mkdir -p "$STATE"
log() { echo "[infra] $*"; }

need_pkgs=()
for p in docker.io docker-registry busybox-static debootstrap prometheus wrk docker-compose; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
# Debian's prometheus package starts its own daemon (0.0.0.0:9090) on install; tests start their own.
systemctl stop prometheus >/dev/null 2>&1 || true
pkill -x prometheus-node-exporter >/dev/null 2>&1 || true

if ! docker version >/dev/null 2>&1; then
  log "starting dockerd"
  # Our own dockerd binary from docker.io (the client on PATH may be another one).
  DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
  nohup "$DOCKERD" --data-root /var/lib/edgeloop-docker --host unix:///var/run/docker.sock \
    --storage-driver=vfs --iptables=false --ip6tables=false --ip=127.0.0.1 \
    >"$STATE/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  docker version >/dev/null 2>&1 || { log "dockerd did not start"; tail -20 "$STATE/dockerd.log"; exit 1; }
fi

if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  log "starting registry on 127.0.0.1:5000"
  cat >"$STATE/registry.yml" <<YML
version: 0.1
storage: {filesystem: {rootdirectory: $STATE/registry-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:5000}
YML
  nohup docker-registry serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 &
  for _ in $(seq 1 40); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.25; done
fi

if [ ! -x "$STATE/azurite/node_modules/.bin/azurite-blob" ]; then
  log "installing azurite"
  mkdir -p "$STATE/azurite"
  (cd "$STATE/azurite" && npm install --silent --no-audit --no-fund azurite@3.35.0 >/dev/null)
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; then
  log "starting azurite blob on 127.0.0.1:10000"
  nohup "$STATE/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort 10000 \
    --location "$STATE/azurite-data" --skipApiVersionCheck --loose --disableTelemetry \
    >"$STATE/azurite.log" 2>&1 &
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null && break; sleep 0.5; done
fi

# A base image without Docker Hub: a minimal Debian made with debootstrap, cached.
if ! docker image inspect local/debian:bookworm >/dev/null 2>&1; then
  if [ ! -f "$STATE/debian-bookworm.tar" ]; then
    log "debootstrap bookworm (about 30 s)"
    rm -rf "$STATE/rootfs"
    debootstrap --variant=minbase bookworm "$STATE/rootfs" http://deb.debian.org/debian >"$STATE/debootstrap.log" 2>&1
    tar -C "$STATE/rootfs" -cf "$STATE/debian-bookworm.tar" .
    rm -rf "$STATE/rootfs"
  fi
  log "importing local/debian:bookworm"
  docker import "$STATE/debian-bookworm.tar" local/debian:bookworm >/dev/null
fi
log "ready: docker, registry 127.0.0.1:5000, azurite 127.0.0.1:10000, local/debian:bookworm"
