#!/usr/bin/env bash
# Soak bench (issue 13, item 8): `./edgeloop up` on a new data folder with free ports, FILES files
# dropped into its shares (every tenth bad, cycling through the ingest reason codes) and RUNS run
# requests through the training REST API with the admin token, sampled every --interval seconds
# (files/s landed, runs/s ended, consumer lag per group, heap, RSS), then an exact accounting of
# every input. Exit code 0 only when every input is accounted for exactly once (see README.md).
#
#   bench/soak/run.sh [FILES] [RUNS] [--timeout S] [--interval S] [--rate FILES_PER_S] [--keep]
#   defaults: 10000 files, 1000 run requests, --timeout 3600, --interval 10, --rate 0 (as fast as written)
#
# The stack gets soak shares and a soak experiment instead of the one-command defaults, so the
# files train nothing by themselves (auto-trigger off) and each run request is one small script run
# (training-service's test project, train.py) on the soak dataset's version 1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FILES=10000
RUNS=1000
TIMEOUT=3600
INTERVAL=10
RATE=0
KEEP=0
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) TIMEOUT=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -ge 1 ] && FILES=${positional[0]}
[ ${#positional[@]} -ge 2 ] && RUNS=${positional[1]}

DATA=$(mktemp -d "${TMPDIR:-/tmp}/edgeloop-soak.XXXXXX")
# shellcheck source=../stack.sh
source "$ROOT/bench/stack.sh"
BASE=$(free_low_port)
EDGE=$(( $(free_low_port) + 5 ))
PID=
JVM=

stop() {
  [ -n "$PID" ] || return 0
  # As bench/launcher/run.sh: the script execs java, or runs it as its child when it writes the archive.
  local target=${JVM:-$PID}
  kill -TERM "$target" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$target" "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
  # The served model's container outlives the stack by design (see README, demo); this bench removes its own.
  if [ -f "$DATA/stack.id" ] && command -v docker >/dev/null; then
    docker ps -aq --filter "label=io.edgeloop.stack=$(cat "$DATA/stack.id")" | xargs -r docker rm -f >/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then echo "data folder kept: $DATA (log: $DATA/logs/edgeloop.log)"; else rm -rf "$DATA" "$DATA.out"; fi
}
trap stop EXIT
trap 'exit 130' INT TERM

# The soak's project: training-service's test project, under the default project root.
mkdir -p "$DATA/projects/soak"
cp "$ROOT/training-service/src/test/resources/projects/linear/train.py" "$DATA/projects/soak/"

# Indexed -D keys replace the services' default lists (Spring binds a list from one source only).
PROPS=(
  # Share 0: C-MAPSS-shaped text (good files and the bad ones a fixed format can reject).
  edgeloop.ingest.shares[0].name=soak
  "edgeloop.ingest.shares[0].path=$DATA/shares/soak"
  edgeloop.ingest.shares[0].dataset=soak
  edgeloop.ingest.shares[0].format.preset=cmapss
  edgeloop.ingest.shares[0].settle-time=1s
  edgeloop.ingest.shares[0].poll-interval=1s
  edgeloop.ingest.shares[0].max-file-size=64KB
  # Share 1: format by file name, for the reason codes only such a share can give.
  edgeloop.ingest.shares[1].name=soak-auto
  "edgeloop.ingest.shares[1].path=$DATA/shares/soak-auto"
  edgeloop.ingest.shares[1].dataset=soak-auto
  edgeloop.ingest.shares[1].settle-time=1s
  edgeloop.ingest.shares[1].poll-interval=1s
  edgeloop.ingest.shares[1].max-file-size=64KB
  edgeloop.ingest.limits.max-line-length=16KB
  # The one experiment: manual script runs only; new data triggers nothing.
  edgeloop.training.experiments[0].name=soak
  edgeloop.training.experiments[0].dataset=soak
  edgeloop.training.experiments[0].auto-trigger=false
  edgeloop.training.experiments[0].min-new-rows=1000000000
  edgeloop.training.experiments[0].spec.kind=script
  "edgeloop.training.experiments[0].spec.settings.project=$DATA/projects/soak"
  "edgeloop.training.experiments[0].spec.settings.command=python3 train.py --x cycle --y sensor_2"
  edgeloop.training.experiments[0].spec.settings.dataFormat=csv
  edgeloop.training.experiments[0].spec.settings.primaryMetric=rmse
)
ARGS=()
for p in "${PROPS[@]}"; do ARGS+=(-D "$p"); done

echo "soak: $FILES files, $RUNS run requests, timeout ${TIMEOUT}s, data folder $DATA, ports $((BASE + 1))-$((BASE + 4)); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/edgeloop" up --data-dir "$DATA" --port-base "$BASE" --kafka-port 0 --edge-port "$EDGE" "${ARGS[@]}" >"$DATA.out" 2>&1 &
PID=$!
await_ready "$PID" "$DATA.out" 1200 || exit 1
grep "edgeloop ready" "$DATA.out" | sed -E 's/.*(ready in [0-9.]+ s \(rss [0-9]+ MB, cpu [0-9.]+ s\)).*/soak: stack \1/'
JVM=$PID
if [ "$(ps -o comm= -p "$PID")" != java ]; then JVM=$(pgrep -P "$PID" -x java | head -1 || echo "$PID"); fi

set +e
python3 "$ROOT/bench/soak/soak.py" --data "$DATA" --root "$ROOT" --pid "$JVM" --files "$FILES" --runs "$RUNS" \
  --timeout "$TIMEOUT" --interval "$INTERVAL" --rate "$RATE"
rc=$?
set -e
grep -E " ERROR " "$DATA/logs/edgeloop.log" | sed -E 's/^[^ ]+ [^ ]+ //' | cut -c1-200 | sort | uniq -c | sort -rn | head -10 | sed 's/^/soak: log errors: /' || true
echo "soak: load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
