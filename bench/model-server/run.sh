#!/usr/bin/env bash
# Bench: single-row OIP infer on loopback, edgeloop model server vs a Flask + scikit-learn peer.
# Prints throughput, latency percentiles (wrk --latency) and server RSS for each, at full load and
# at a fixed rate near half of the edgeloop server's maximum, and the edgeloop server's maximum with
# dynamic batching off (--max-batch-rows=1). Bounded: about 3 minutes.
# Needs: wrk, /usr/bin/python3 with python3-sklearn python3-flask, gunicorn, a built model server
# (mvn -q -pl model-server -am package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export EDGELOOP_BENCH_DIR="${EDGELOOP_BENCH_DIR:-/tmp/edgeloop-bench}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
JAVA="${JAVA:-java}"
EDGE_PORT=18080
PEER_PORT=18081
SOLO_PORT=18082
jar="$(ls "$repo"/model-server/target/edgeloop-model-server-*.jar | grep -v -- -tests.jar | head -1)"

/usr/bin/python3 "$here/make_model.py" "$EDGELOOP_BENCH_DIR" >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 150); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/v2/health/ready" && return 0
    sleep 0.2
  done
  echo "server on port $1 did not become ready" >&2; exit 1
}

rss_mib() { # RSS of a process and its children (gunicorn workers), MiB
  local total=0
  for p in $1 $(pgrep -P "$1" || true); do total=$((total + $(ps -o rss= -p "$p" || echo 0))); done
  echo $((total / 1024))
}

load() { # port label [delay_ms connections]
  local port=$1 label=$2 delay=${3:-0} conns=${4:-$CONNECTIONS}
  echo "== $label: $conns connections, delay ${delay} ms, $DURATION"
  EDGELOOP_BENCH_DELAY_MS=$delay wrk -t2 -c"$conns" -d"$DURATION" --latency -s "$here/post.lua" \
    "http://127.0.0.1:$port/v2/models/bench-linear/infer" | tee "/tmp/edgeloop-bench-$label.txt" \
    | grep -E "Requests/sec|Non-2xx|^ +(50|90|99)%|Latency  "
}

rps() { awk '/Requests\/sec/ {printf "%d", $2}' "/tmp/edgeloop-bench-$1.txt"; }

"$JAVA" -XX:+UseSerialGC -Xmx256m -jar "$jar" --model-dir="$EDGELOOP_BENCH_DIR/package" \
  --host=127.0.0.1 --port=$EDGE_PORT >/tmp/edgeloop-bench-server.log 2>&1 &
pids+=($!); edge=$!
wait_ready $EDGE_PORT
curl -s -XPOST -d @"$EDGELOOP_BENCH_DIR/request.json" "http://127.0.0.1:$EDGE_PORT/v2/models/bench-linear/infer"; echo
DURATION=10s load $EDGE_PORT edge-warmup >/dev/null
load $EDGE_PORT edge-max
echo "edgeloop RSS after load: $(rss_mib $edge) MiB"

# The same server with dynamic batching off: every request its own ONNX Runtime call.
"$JAVA" -XX:+UseSerialGC -Xmx256m -jar "$jar" --model-dir="$EDGELOOP_BENCH_DIR/package" \
  --host=127.0.0.1 --port=$SOLO_PORT --max-batch-rows=1 >/tmp/edgeloop-bench-server-solo.log 2>&1 &
pids+=($!); solo=$!
wait_ready $SOLO_PORT
DURATION=10s load $SOLO_PORT solo-warmup >/dev/null
load $SOLO_PORT edge-solo-max
kill "$solo"

gunicorn -w 2 -b 127.0.0.1:$PEER_PORT --chdir "$here" --log-level warning peer_app:app \
  >/tmp/edgeloop-bench-peer.log 2>&1 &
pids+=($!); peer=$!
wait_ready $PEER_PORT
curl -s -XPOST -H 'Content-Type: application/json' -d @"$EDGELOOP_BENCH_DIR/request.json" \
  "http://127.0.0.1:$PEER_PORT/v2/models/bench-linear/infer"; echo
load $PEER_PORT peer-max
echo "peer RSS after load: $(rss_mib $peer) MiB"
kill "$peer"

# Fixed rate near half the edgeloop maximum: each connection sends one request every ~10 ms.
half=$(( $(rps edge-max) / 2 ))
conns=$(( (half + 99) / 100 ))
load $EDGE_PORT edge-half 10 $conns
echo "offered ~$half req/s; achieved $(rps edge-half) req/s"

echo
echo "SUMMARY edgeloop max $(rps edge-max) req/s (without batching $(rps edge-solo-max)), peer max $(rps peer-max) req/s," \
  "ratio $(awk -v a="$(rps edge-max)" -v b="$(rps peer-max)" 'BEGIN {printf "%.1f", a / b}')x;" \
  "edgeloop p99 at ~half rate: $(awk '/^ +99%/ {print $2}' /tmp/edgeloop-bench-edge-half.txt)"
