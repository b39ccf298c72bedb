#!/usr/bin/env bash
# Debian packages the infra module's tests use (each test skips with a reason when its tool is absent):
#   prometheus      /usr/bin/prometheus and /usr/bin/promtool (PrometheusConfigIT, PrometheusQueriesValidIT)
#   docker-compose  `docker-compose config` (DockerComposeConfigIT)
# Idempotent. Debian's prometheus package starts a daemon on 0.0.0.0:9090 when installed; this stops
# it again only when this script installed the package (the tests start their own Prometheus).
set -euo pipefail
missing=()
for p in prometheus docker-compose; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" prometheus "* ]]; then
    systemctl stop prometheus prometheus-node-exporter >/dev/null 2>&1 || true
  fi
fi
