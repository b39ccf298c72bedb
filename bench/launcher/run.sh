#!/usr/bin/env bash
# Figures of one-command mode, printed: `./edgeloop up` to ready (wall time, CPU time of the process,
# RSS) on a new data folder and on restarts of it, and the time of a CLI call against the running
# stack (hyperfine when installed, else a loop), and 15 calls right after the new folder's ready
# (packaging's warm-up runs then; it says whether the machine's packaging cache was already made).
#
#   bench/launcher/run.sh [restarts] [cli-calls]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESTARTS=${1:-3}
CALLS=${2:-20}
DATA=$(mktemp -d "${TMPDIR:-/tmp}/edgeloop-bench-up.XXXXXX")
# shellcheck source=../stack.sh
source "$ROOT/bench/stack.sh"
BASE=$(free_low_port)
EDGE=$(( $(free_low_port) + 5 ))
PID=

start() {
  "$ROOT/edgeloop" up --data-dir "$DATA" --port-base "$BASE" --kafka-port 0 --edge-port "$EDGE" >"$DATA.out" 2>&1 &
  PID=$!
  await_ready "$PID" "$DATA.out" 600 || exit 1
  grep "edgeloop ready" "$DATA.out" | sed -E 's/.*ready in ([0-9.]+) s \(rss ([0-9]+) MB, cpu ([0-9.]+) s\).*/ready_s=\1 rss_mb=\2 cpu_s=\3/'
}

stop() {
  # The script runs java as its child on the run that writes the archive, and execs it otherwise;
  # once exec'd, the first child of $PID is one of java's own (jlink, PostgreSQL), not the launcher.
  local target=$PID
  if [ "$(ps -o comm= -p "$PID")" != java ]; then
    target=$(pgrep -P "$PID" -x java | head -1 || true)
  fi
  kill -TERM "${target:-$PID}"
  wait "$PID" || true
}

# CLI calls right after ready, while the stack's background start-up work (packaging's warm-up) runs.
cli_now() {
  local max=0 sum=0 n=$1 t all=
  for _ in $(seq 1 "$n"); do
    t=$(date +%s%N); EDGELOOP_DATA_DIR="$DATA" "$ROOT/edgeloop" targets list >/dev/null; t=$(( ($(date +%s%N) - t) / 1000000 ))
    sum=$(( sum + t )); [ "$t" -gt "$max" ] && max=$t; all="$all $t"
  done
  echo "cli right after ready: mean $(( sum / n )) ms, max $max ms over $n calls (ms:$all)"
}

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/edgeloop/packaging
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine cache $CACHE: $(ls -d "$CACHE"/runtime/jre-* >/dev/null 2>&1 && echo "has a runtime" || echo "empty (the first start links one)")"
echo -n "up, new data folder:  "; start; cli_now 15; stop
echo "packaging $(grep -o 'warm-up: .*' "$DATA/logs/edgeloop.log" | head -1)"
echo "java: $(grep -o 'start-up phases: .*; Java .*' "$DATA/logs/edgeloop.log" | tail -1 | sed 's/.*; Java //')"
for i in $(seq 1 "$RESTARTS"); do
  echo -n "up, restart $i:        "; start
  [ "$i" = "$RESTARTS" ] || stop
done

cd "$ROOT"
export EDGELOOP_DATA_DIR="$DATA"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --runs "$CALLS" --style basic './edgeloop runs list' './edgeloop targets list' 2>&1 | grep -E "Time|Range|Benchmark"
else
  for cmd in "runs list" "targets list"; do
    start_ns=$(date +%s%N)
    for _ in $(seq 1 "$CALLS"); do ./edgeloop $cmd >/dev/null; done
    echo "edgeloop $cmd: $(( ($(date +%s%N) - start_ns) / CALLS / 1000000 )) ms per call (mean of $CALLS)"
  done
fi
/usr/bin/time -f "edgeloop runs list: %e s wall, %U s user + %S s sys CPU" ./edgeloop runs list >/dev/null
stop
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$DATA" "$DATA.out"
