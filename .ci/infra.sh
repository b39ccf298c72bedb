#!/usr/bin/env bash
# Brings up, idempotently, the real infrastructure the tests use on this machine:
#   Docker engine (Debian docker.io, vfs), an OCI registry on 127.0.0.1:5000 (Debian docker-registry),
#   Azurite blob on 127.0.0.1:10000 (npm), a local base image `local/debian:bookworm` (debootstrap),
#   Prometheus and promtool (Debian), wrk (Debian).
# Each step is skipped when its result already exists. Everything listens on loopback only. Package
# installs start no daemons (policy-rc.d); one an earlier install started is stopped through its own
# service script. debootstrap uses the Debian mirror of this machine's apt sources.
set -euo pipefail
STATE=${EDGELOOP_INFRA_DIR:-/var/lib/edgeloop-ci}
mkdir -p "$STATE"
log() { echo "[infra] $*"; }

# Packages whose install starts a daemon of its own. The tests start their own (on loopback, with
# their own settings), so these are kept from starting on install, and one an earlier install started
# is stopped through its own service script, which stops the process in its PID file.
PACKAGE_DAEMONS=(docker docker-registry prometheus prometheus-node-exporter)

# Debian's way to keep package installs from starting services: a policy-rc.d that says no (101).
without_service_starts() {
  local policy=/usr/sbin/policy-rc.d
  if [ -e "$policy" ]; then "$@"; return; fi
  printf '#!/bin/sh\n# edgeloop .ci/infra.sh: no service starts while it installs packages\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  local status=0
  "$@" || status=$?
  rm -f "$policy"
  return "$status"
}

stop_package_daemon() {
  local name=$1
  if [ -d /run/systemd/system ]; then
    if systemctl is-active --quiet "$name" 2>/dev/null; then
      log "stopping $name, started by its package"
      systemctl disable --now "$name" "$name.socket" >/dev/null 2>&1 || systemctl stop "$name" >/dev/null 2>&1 || true
    fi
  elif [ -x "/etc/init.d/$name" ] && "/etc/init.d/$name" status >/dev/null 2>&1; then
    log "stopping $name, started by its package"
    "/etc/init.d/$name" stop >/dev/null 2>&1 || true
  fi
}

# The Debian mirror this machine's apt already uses, for debootstrap: the first enabled `deb` entry
# (one-line sources.list format or deb822 .sources) that serves suite $1 with component main.
# EDGELOOP_DEBIAN_MIRROR overrides it.
debian_mirror() {
  local suite=$1
  if [ -n "${EDGELOOP_DEBIAN_MIRROR:-}" ]; then echo "$EDGELOOP_DEBIAN_MIRROR"; return; fi
  {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }   # [option=value ...]
        uri = $i; s = $(i + 1)
        for (j = i + 2; j <= NF; j++) if ($j == "main" && s == suite) { print uri; next }
      }'
    for file in /etc/apt/sources.list.d/*.sources; do
      [ -f "$file" ] || continue
      awk -v suite="$suite" '
        function field(name,   k, v) {
          for (k = 1; k <= NF; k++) if ($k ~ "^" name ":") { v = $k; sub("^" name ":[ \t]*", "", v); return " " v " " }
          return ""
        }
        BEGIN { RS = ""; FS = "\n" }
        {
          if (field("Enabled") ~ / no /) next
          if (field("Types") !~ / deb /) next
          if (field("Suites") !~ (" " suite " ") || field("Components") !~ / main /) next
          split(field("URIs"), uris, " "); for (u in uris) if (uris[u] != "") { print uris[u]; exit }
        }' "$file"
    done
  } | head -1
}

need_pkgs=()
for p in docker.io docker-registry busybox-static debootstrap prometheus wrk docker-compose; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  without_service_starts apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
for daemon in "${PACKAGE_DAEMONS[@]}"; do
  stop_package_daemon "$daemon"
done

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
    MIRROR=$(debian_mirror bookworm)
    if [ -z "$MIRROR" ]; then
      log "no Debian mirror serving bookworm (main) in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources: set EDGELOOP_DEBIAN_MIRROR"
      exit 1
    fi
    log "debootstrap bookworm from $MIRROR (about 30 s)"
    rm -rf "$STATE/rootfs"
    debootstrap --variant=minbase bookworm "$STATE/rootfs" "$MIRROR" >"$STATE/debootstrap.log" 2>&1
    tar -C "$STATE/rootfs" -cf "$STATE/debian-bookworm.tar" .
    rm -rf "$STATE/rootfs"
  fi
  log "importing local/debian:bookworm"
  docker import "$STATE/debian-bookworm.tar" local/debian:bookworm >/dev/null
fi
log "ready: docker, registry 127.0.0.1:5000, azurite 127.0.0.1:10000, local/debian:bookworm"
