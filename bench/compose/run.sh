#!/usr/bin/env bash
# The distributed topology for real: infra/docker-compose.yml brought up with two replicas of each of
# the four services (images built from this project's exec jars), a real Kafka broker, PostgreSQL,
# Azurite and the registry, all on images built here from local/debian:bookworm (no Docker Hub), and
# the whole loop run through it: C-MAPSS files dropped into ingest's share -> dataset versions ->
# training runs -> model versions -> images -> rollouts -> the champion answering inferences; then a
# second batch and the retrain. Prints figures and an accounting; exits 1 when the accounting does
# not hold (2 on a set-up error). See README.md beside this file.
#
#   bash bench/compose/run.sh            # KEEP=1 leaves the stack up (then: bash bench/compose/run.sh down)
set -euo pipefail

ROOT=${EDGELOOP_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
PROJECT=${PROJECT:-edgeloop-bench}
COMPOSE_FILE=$ROOT/infra/docker-compose.yml
STAGE_TIMEOUT=${STAGE_TIMEOUT:-1200}       # seconds per stage (healthy, first model serving, retrain serving)
REGISTRY_ADDRESS=${EDGELOOP_REGISTRY_ADDRESS:-127.0.0.3}
CMAPSS=${EDGELOOP_CMAPSS:-$ROOT/../shared/data/cmapss}
VERSION=0.1.0-SNAPSHOT
SERVICES=(ingest-service training-service packaging-service deploy-service)
INFRA=(kafka azurite postgres registry)
declare -A PORT=([ingest-service]=8081 [training-service]=8082 [packaging-service]=8083 [deploy-service]=8084)
# Host port ranges, one port per replica (the product's defaults are the single ports 8081-8084, 9000).
export EDGELOOP_INGEST_PORTS=${EDGELOOP_INGEST_PORTS:-18081-18082}
export EDGELOOP_TRAINING_PORTS=${EDGELOOP_TRAINING_PORTS:-18083-18084}
export EDGELOOP_PACKAGING_PORTS=${EDGELOOP_PACKAGING_PORTS:-18085-18086}
export EDGELOOP_DEPLOY_PORTS=${EDGELOOP_DEPLOY_PORTS:-18087-18088}
export EDGELOOP_EDGE_PORTS=${EDGELOOP_EDGE_PORTS:-19000-19001}
export EDGELOOP_REGISTRY_ADDRESS=$REGISTRY_ADDRESS
export EDGELOOP_AZURITE_ADDRESS=${EDGELOOP_AZURITE_ADDRESS:-127.0.0.3}
export DOCKER_GID=$(stat -c %g /var/run/docker.sock)
export COMPOSE_HTTP_TIMEOUT=600 DOCKER_CLIENT_TIMEOUT=600

log() { printf '%(%H:%M:%S)T %s\n' -1 "$*"; }
die() { log "ERROR: $*"; exit 2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
compose() { docker-compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@"; }

# ---------------------------------------------------------------------------------------------------
# Offline images: built once from local/debian:bookworm, named by a digest of their inputs.
# ---------------------------------------------------------------------------------------------------
inputs_digest() { # dir [extra dirs...]: the files' names, sizes and contents of the first, names and sizes of the others
  { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); shift
    for d in "$@"; do (cd "$d" && find . -type f -printf '%p %s\n' | LC_ALL=C sort); done; } | sha256sum | cut -c1-12
}

build_image() { # name context [extra input dirs...]: prints the image; build args in BUILD_ARGS
  local name=$1 context=$2; shift 2
  local image="edgeloop-offline/$name:$( (inputs_digest "$ROOT/infra/docker/offline/$name" "$@"; echo "${BUILD_ARGS:-}") | sha256sum | cut -c1-12)"
  if docker image inspect "$image" >/dev/null 2>&1; then
    echo "$image"; return
  fi
  log "building $image (apt over the host network)" >&2
  docker build -q --network host ${BUILD_ARGS:-} -t "$image" "$context" >&2 || die "building $image failed"
  echo "$image"
}

kafka_libs() {
  local libs=$ROOT/reliability/target/kafka-libs
  if ! ls "$libs"/kafka_2.13-*.jar >/dev/null 2>&1; then
    log "copying the broker's jars (reliability's kafka-image-libs)" >&2
    ./mvnw -B -o -q -pl reliability dependency:copy-dependencies@kafka-image-libs >&2 || die "could not copy Kafka's jars"
  fi
  echo "$libs"
}

build_images() {
  docker image inspect local/debian:bookworm >/dev/null 2>&1 || die "no local/debian:bookworm image (bash .ci/infra.sh makes it)"
  local offline=$ROOT/infra/docker/offline ctx
  JAVA_IMAGE=$(build_image java "$offline/java")
  JDK_IMAGE=$(BUILD_ARGS="--build-arg JAVA_IMAGE=$JAVA_IMAGE" build_image jdk "$offline/jdk")
  ctx=$WORK/kafka-context; mkdir -p "$ctx"; cp -r "$offline/kafka/." "$ctx/"
  local libs; libs=$(kafka_libs); cp -r "$libs" "$ctx/libs"
  # The broker logs through SLF4J; its jars bring no binding: slf4j-simple of the same version, when
  # the local Maven repository has it, so `docker logs` shows the broker's log.
  local api simple; api=$(ls "$ctx/libs" | sed -n 's/^slf4j-api-\(.*\)\.jar$/\1/p' | head -1)
  simple=$HOME/.m2/repository/org/slf4j/slf4j-simple/$api/slf4j-simple-$api.jar
  [ -z "$api" ] || [ ! -f "$simple" ] || cp "$simple" "$ctx/libs/"
  KAFKA_IMAGE=$(BUILD_ARGS="--build-arg JAVA_IMAGE=$JAVA_IMAGE" build_image kafka "$ctx" "$ctx/libs")
  POSTGRES_IMAGE=$(build_image postgres "$offline/postgres")
  local azurite=${EDGELOOP_INFRA_DIR:-/var/lib/edgeloop-ci}/azurite
  [ -f "$azurite/node_modules/azurite/package.json" ] || die "no Azurite npm install at $azurite (bash .ci/infra.sh makes it)"
  ctx=$WORK/azurite-context; mkdir -p "$ctx"; cp -r "$offline/azurite/." "$ctx/"; cp -r "$azurite" "$ctx/azurite"
  AZURITE_IMAGE=$(build_image azurite "$ctx" "$ctx/azurite")
  REGISTRY_IMAGE=$(build_image registry "$offline/registry")
  export EDGELOOP_JAVA_IMAGE=$JAVA_IMAGE EDGELOOP_JDK_IMAGE=$JDK_IMAGE EDGELOOP_KAFKA_IMAGE=$KAFKA_IMAGE EDGELOOP_POSTGRES_IMAGE=$POSTGRES_IMAGE \
    EDGELOOP_AZURITE_IMAGE=$AZURITE_IMAGE EDGELOOP_REGISTRY_IMAGE=$REGISTRY_IMAGE
  log "images: $JAVA_IMAGE $JDK_IMAGE $KAFKA_IMAGE $POSTGRES_IMAGE $AZURITE_IMAGE $REGISTRY_IMAGE"
}

# ---------------------------------------------------------------------------------------------------
# Secrets (admin token, signing key pair), the registry's host name, the exec jars.
# ---------------------------------------------------------------------------------------------------
make_secrets() {
  SECRETS=$WORK/secrets; mkdir -p "$SECRETS"
  echo "elt_$(head -c 32 /dev/urandom | basenc --base64url | tr -d =)" > "$SECRETS/admin.token"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$SECRETS/signing.key" 2>/dev/null
  openssl pkey -in "$SECRETS/signing.key" -pubout -out "$SECRETS/signing.pub"
  # The services run as uid 10001; compose v1 bind-mounts secret files as they are.
  chown 10001:10001 "$SECRETS/admin.token" "$SECRETS/signing.key"
  chmod 0400 "$SECRETS/admin.token" "$SECRETS/signing.key"
  chmod 0444 "$SECRETS/signing.pub"
  export EDGELOOP_ADMIN_TOKEN_FILE=$SECRETS/admin.token EDGELOOP_SIGNING_KEY_FILE=$SECRETS/signing.key \
    EDGELOOP_SIGNING_PUBLIC_KEY_FILE=$SECRETS/signing.pub
  TOKEN=$(cat "$SECRETS/admin.token")
}

hosts_entry() {
  # The host's engine pulls registry:5000/... (what packaging pushes) for the model servers.
  if ! grep -Eq "^[[:space:]]*$REGISTRY_ADDRESS[[:space:]]+(.*[[:space:]])?registry([[:space:]]|$)" /etc/hosts; then
    if grep -Eq "^[^#]*[[:space:]]registry([[:space:]]|$)" /etc/hosts; then
      die "/etc/hosts names 'registry' at another address: the host's engine would pull from there"
    fi
    log "adding '$REGISTRY_ADDRESS registry' to /etc/hosts"
    echo "$REGISTRY_ADDRESS registry" >> /etc/hosts
  fi
}

exec_jars() {
  local missing=0
  for s in "${SERVICES[@]}"; do [ -f "$s/target/$s-$VERSION-exec.jar" ] || missing=1; done
  if [ $missing = 1 ]; then
    log "building the exec jars (./mvnw -B -o -q install -DskipTests)"
    ./mvnw -B -o -q install -DskipTests || die "the build failed"
  fi
}

# ---------------------------------------------------------------------------------------------------
# Data: real C-MAPSS FD001 split by engine when present, otherwise a small simulated fleet.
# ---------------------------------------------------------------------------------------------------
make_data() {
  DATA=$WORK/data; mkdir -p "$DATA"
  if [ -f "$CMAPSS/train_FD001.txt.gz" ] && [ -f "$CMAPSS/test_FD001.txt.gz" ]; then
    DATA_SOURCE="C-MAPSS FD001 ($CMAPSS)"
    zcat "$CMAPSS/train_FD001.txt.gz" | sed 's/[[:space:]]*$//' > "$DATA/train.txt"
    zcat "$CMAPSS/test_FD001.txt.gz" | sed 's/[[:space:]]*$//' | awk '$1 == 1' > "$DATA/probe.txt"
  else
    DATA_SOURCE="simulated fleet (no $CMAPSS/train_FD001.txt.gz)"
    simulate 100 1 > "$DATA/train.txt"
    simulate 1 7 | awk '$2 <= 40' > "$DATA/probe.txt"
  fi
  # Batch 1: engines 1-60 in three files; batch 2 (the retrain): engines 61-100 in two.
  local i=0
  for range in "1 20" "21 40" "41 60" "61 80" "81 100"; do
    i=$((i + 1))
    set -- $range
    awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b' "$DATA/train.txt" > "$DATA/fleet_part$i.txt"
  done
  BATCH1=(fleet_part1.txt fleet_part2.txt fleet_part3.txt)
  BATCH2=(fleet_part4.txt fleet_part5.txt)
  # A gateway dump with a sensor read-out error on line 11: quarantined (bad_value), never a version.
  head -20 "$DATA/fleet_part1.txt" | awk 'NR == 11 { $7 = "ERR#SENSOR_BUS_TIMEOUT" } { print }' > "$DATA/gateway_dump.txt"
  BAD=gateway_dump.txt
}

simulate() { # engines seed: C-MAPSS-shaped rows (unit cycle 3 settings 21 sensors), degrading to failure
  awk -v n="$1" -v seed="$2" 'BEGIN { srand(seed)
    for (u = 1; u <= n; u++) { life = 130 + int(rand() * 150)
      for (c = 1; c <= life; c++) { w = (c / life) ^ 2; line = u " " c " " sprintf("%.4f %.4f 100.0", rand() * 0.002 - 0.001, rand() * 0.0006 - 0.0003)
        for (s = 1; s <= 21; s++) line = line " " sprintf("%.4f", 100 + s * 20 + (s % 3 == 0 ? -1 : 1) * w * (5 + s) + (rand() - 0.5) * 0.8)
        print line } } }'
}

# ---------------------------------------------------------------------------------------------------
# The stack
# ---------------------------------------------------------------------------------------------------
volume_dir() { docker volume inspect -f '{{.Mountpoint}}' "${PROJECT}_$1"; }
containers() { compose ps -q "$@" 2>/dev/null; }
replica_port() { # service index container-port
  compose port --index="$2" "$1" "$3" 2>/dev/null | sed 's/.*://'
}
api() { # service index path
  curl -sf --max-time 20 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$(replica_port "$1" "$2" "${PORT[$1]}")$3"
}

await() { # description timeout-seconds command...
  local what=$1 limit=$2; shift 2
  local start=$SECONDS
  until "$@"; do
    if (( SECONDS - start > limit )); then log "TIMEOUT after ${limit}s: $what"; return 1; fi
    sleep 3
  done
}

all_healthy() {
  local s i port
  for s in "${SERVICES[@]}"; do
    for i in 1 2; do
      port=$(replica_port "$s" "$i" "${PORT[$s]}") || return 1
      [ -n "$port" ] || return 1
      curl -sf --max-time 5 "http://127.0.0.1:$port/actuator/health" | grep -q '"status":"UP"' || return 1
    done
  done
}

drop() { # file: written beside under a dot name, owned by the services' user, renamed in
  local share=$SHARE name=$1
  cp "$DATA/$name" "$share/.$name.part"
  chown 10001:10001 "$share/.$name.part"
  mv "$share/.$name.part" "$share/$name"
}

# ---------------------------------------------------------------------------------------------------
# What the services say
# ---------------------------------------------------------------------------------------------------
MODEL=turbofan-rul
DATASET=turbofan
TARGET=edge-compose

runs_json() { api training-service 1 "/api/runs?experiment=$MODEL&limit=1000" 2>/dev/null; }

snapshot() { # everything the accounting needs, into $WORK/state-*.json
  api ingest-service 1 "/api/datasets/$DATASET" > "$WORK/state-dataset.json" || echo '{}' > "$WORK/state-dataset.json"
  runs_json > "$WORK/state-runs.json" || echo '[]' > "$WORK/state-runs.json"
  api training-service 1 "/api/models/$MODEL/versions" > "$WORK/state-versions.json" || echo '[]' > "$WORK/state-versions.json"
  api packaging-service 1 "/api/images" > "$WORK/state-images.json" || echo '[]' > "$WORK/state-images.json"
  api deploy-service 1 "/api/deployments?target=$TARGET&model=$MODEL&limit=1000" > "$WORK/state-deployments.json" \
    || echo '[]' > "$WORK/state-deployments.json"
}

# The services' answers: ingest's DatasetIndex, training's RunView and ModelVersion lists, packaging's
# BuildRecord list, deploy's Deployment list.
dataset_versions() { jq -c '[(.versions // [])[] | select(.state == "announced" or .state == "stored")]' "$WORK/state-dataset.json"; }
model_runs() { jq -c --arg e "$MODEL" '[.[] | select(.experiment == $e)]' "$WORK/state-runs.json"; }
model_versions() { jq -c '.' "$WORK/state-versions.json"; }
model_images() { jq -c --arg m "$MODEL" '[.[] | select(.model == $m)]' "$WORK/state-images.json"; }
rollouts() { jq -c --arg m "$MODEL" --arg t "$TARGET" '[.[] | select(.modelName == $m and .target == $t)]' "$WORK/state-deployments.json"; }

progress() {
  snapshot
  printf 'versions %s; runs %s; model versions %s; images %s; rollouts %s' \
    "$(dataset_versions | jq -c '[.[].version]')" \
    "$(model_runs | jq -c '[.[] | "\(.id[0:8]) \(.status)"]')" \
    "$(model_versions | jq -c '[.[] | "v\(.version)\(if .promoted then "*" else "" end)"]')" \
    "$(model_images | jq -c '[.[] | "v\(.version) \(.status)"]')" \
    "$(rollouts | jq -c '[.[] | "v\(.modelVersion) \(.status)"]')"
}

retrain_requested() { runs_json > "$WORK/state-runs.json" && [ "$(model_runs | jq length)" -gt "$RUNS_BEFORE" ]; }

champion_version() { api training-service 1 "/api/models/$MODEL/aliases/champion" 2>/dev/null | jq -r '.version // empty'; }

runs_settled() { # every run ended (completed, failed, canceled)
  model_runs | jq -e 'length > 0 and all(.[]; (.status | ascii_downcase) as $s | $s == "completed" or $s == "failed" or $s == "canceled")' >/dev/null
}

edge_serves() { # version [index]: the deploy replica's stable endpoint serves the champion
  local version=$1 i=${2:-1} port
  port=$(replica_port deploy-service "$i" 9000) || return 1
  curl -sf --max-time 10 "http://127.0.0.1:$port/v2/models/$MODEL" | jq -e --arg v "$version" '(.versions // []) | index($v)' >/dev/null
}

serving_after() { # min-dataset-versions: runs settled, a champion, deployed and answering on replica 1's endpoint
  snapshot
  [ "$(dataset_versions | jq length)" -ge "$1" ] || return 1
  runs_settled || return 1
  local champion; champion=$(champion_version) || return 1
  [ -n "$champion" ] && [ "$champion" -ge "${MIN_CHAMPION:-1}" ] || return 1
  rollouts | jq -e --argjson v "$champion" 'any(.[]; .modelVersion == $v and (.status | ascii_downcase) == "deployed")' >/dev/null || return 1
  edge_serves "$champion" 1 || return 1
  CHAMPION=$champion
}

infer() { # index: the deploy replica's answer for the probe engine's last cycle
  local port base metadata request
  port=$(replica_port deploy-service "$1" 9000)
  base="http://127.0.0.1:$port/v2/models/$MODEL"
  metadata=$(curl -sf --max-time 10 "$base") || return 1
  request=$(jq -R -s -c --argjson meta "$metadata" '
    (["unit","cycle","op_setting_1","op_setting_2","op_setting_3"] + [range(1;22) | "sensor_\(.)"]) as $cols
    | [split("\n")[] | select(length > 0) | [splits(" +")] | map(tonumber)] as $rows
    | {inputs: [$meta.inputs[] | .name as $n | ($cols | index($n)) as $c
        | {name: $n, datatype: .datatype, shape: [$rows | length],
           data: [$rows[] | .[$c] | (if ($meta.inputs[] | select(.name == $n) | .datatype | startswith("INT")) then floor else . end)]}]}' \
    "$DATA/probe.txt")
  curl -sf --max-time 30 -H 'Content-Type: application/json' -d "$request" "$base/infer" | jq -r '.outputs[0].data[-1]'
}

rss_report() {
  log "RSS at the end (VmRSS of each container's main process; docker stats' memory in brackets):"
  local id name pid rss mem
  for id in $(containers) $(docker ps -q --filter "label=io.edgeloop.stack=$STACK_ID"); do
    name=$(docker inspect -f '{{.Name}}' "$id" | sed 's|^/||')
    pid=$(docker inspect -f '{{.State.Pid}}' "$id")
    rss=$(awk '/^VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")
    mem=$(docker stats --no-stream --format '{{.MemUsage}}' "$id" 2>/dev/null | cut -d/ -f1 | tr -d ' ')
    printf '  %-62s %8s  [%s]\n' "$name" "$rss" "$mem"
  done
}

# ---------------------------------------------------------------------------------------------------
teardown() {
  if [ "${KEEP:-0}" = 1 ]; then
    log "KEEP=1: the stack stays up (project $PROJECT, work folder $WORK); 'bash $0 down' removes it"
    return
  fi
  log "removing the stack (docker-compose -p $PROJECT down -v) and its model servers"
  local stack=${STACK_ID:-}
  [ -n "$stack" ] || stack=$(cat "$(volume_dir deploy-data 2>/dev/null)/stack.id" 2>/dev/null || true)
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  if [ -n "$stack" ]; then
    local ids; ids=$(docker ps -aq --filter "label=io.edgeloop.stack=$stack")
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
    local images; images=$(docker images --format '{{.Repository}}:{{.Tag}} {{.ID}}' | awk '$1 ~ /^registry:5000\/edgeloop\// { print $2 }' | sort -u)
    [ -z "$images" ] || docker rmi -f $images >/dev/null 2>&1 || true
  fi
}

if [ "${1:-}" = down ]; then
  WORK=$(mktemp -d); export EDGELOOP_ADMIN_TOKEN_FILE=/dev/null EDGELOOP_SIGNING_KEY_FILE=/dev/null EDGELOOP_SIGNING_PUBLIC_KEY_FILE=/dev/null
  KEEP=0 teardown; exit 0
fi

for tool in docker docker-compose jq curl openssl awk; do command -v $tool >/dev/null || die "$tool is not installed"; done
WORK=$(mktemp -d /tmp/edgeloop-compose-bench.XXXXXX)
log "work folder $WORK (logs of every container end up in $WORK/logs)"
exec_jars
build_images
make_secrets
hosts_entry
make_data
[ "${1:-}" = images ] && exit 0

trap 'status=$?; mkdir -p "$WORK/logs"; for c in $(containers); do docker logs "$c" > "$WORK/logs/$(docker inspect -f "{{.Name}}" "$c" | tr -d /).log" 2>&1 || true; done; teardown; exit $status' EXIT

SCALE=()
for s in "${SERVICES[@]}"; do SCALE+=(--scale "$s=2"); done
T0=$(now)
log "docker-compose -p $PROJECT build; up -d ${SCALE[*]} ${INFRA[*]} ${SERVICES[*]}"
compose build -q "${SERVICES[@]}" >/dev/null 2>"$WORK/build.err" || { cat "$WORK/build.err"; die "building the service images failed"; }
T_BUILT=$(now)
compose up -d --no-build "${SCALE[@]}" "${INFRA[@]}" "${SERVICES[@]}" 2>&1 | sed 's/^/  /'
T_UP=$(now)
await "eight service replicas healthy" "$STAGE_TIMEOUT" all_healthy || { compose ps; exit 1; }
T_HEALTHY=$(now)
log "all eight replicas healthy: $(secs "$T_UP" "$T_HEALTHY") s after 'up' ($(secs "$T_BUILT" "$T_UP") s for 'up' itself; images built in $(secs "$T0" "$T_BUILT") s)"
STACK_ID=$(cat "$(volume_dir deploy-data)/stack.id")
SHARE=$(volume_dir ingest-data)/shares/turbofan
await "ingest's share exists" 120 test -d "$SHARE" || exit 1

log "batch 1: ${BATCH1[*]} + $BAD into $SHARE"
T_FIRST=$(now)
for f in "${BATCH1[@]}" "$BAD"; do drop "$f"; done
MIN_CHAMPION=1
if ! await "the first champion serving" "$STAGE_TIMEOUT" serving_after ${#BATCH1[@]}; then log "progress: $(progress)"; exit 1; fi
T_SERVING1=$(now)
FIRST_CHAMPION=$CHAMPION
log "v$FIRST_CHAMPION serving $(secs "$T_FIRST" "$T_SERVING1") s after the first file; $(progress)"

log "batch 2: ${BATCH2[*]}"
T_SECOND=$(now)
for f in "${BATCH2[@]}"; do drop "$f"; done
RUNS_BEFORE=$(model_runs | jq length)
await "a retrain requested" "$STAGE_TIMEOUT" retrain_requested || exit 1
# The retrained model serves if the gate promoted it; otherwise the first champion still does.
await "the retrain settled and its champion serving" "$STAGE_TIMEOUT" serving_after $(( ${#BATCH1[@]} + ${#BATCH2[@]} )) \
  || { log "progress: $(progress)"; exit 1; }
T_SERVING2=$(now)
log "after the retrain v$CHAMPION serving, $(secs "$T_SECOND" "$T_SERVING2") s after batch 2; $(progress)"

# ---------------------------------------------------------------------------------------------------
# The accounting
# ---------------------------------------------------------------------------------------------------
log "waiting 15 s for late duplicates (a redelivery, the other replica's attempt)"
sleep 15
snapshot
FAILS=0
check() { # description, command...
  local what=$1; shift
  if "$@" >/dev/null; then printf '  PASS  %s\n' "$what"; else printf '  FAIL  %s\n' "$what"; FAILS=$((FAILS + 1)); fi
}
GOOD=$(( ${#BATCH1[@]} + ${#BATCH2[@]} ))
VERSIONS=$(dataset_versions)
RUNS=$(model_runs)
MVERSIONS=$(model_versions)
IMAGES=$(model_images)
ROLLOUTS=$(rollouts)
PROMOTED=$(jq -c '[.[] | select(.promoted) | .version] | sort' <<<"$MVERSIONS")
GOOD_NAMES=$(printf '%s\n' "${BATCH1[@]}" "${BATCH2[@]}" | jq -R . | jq -s -c 'sort')
log "accounting ($DATA_SOURCE):"
check "dataset versions: $(jq length <<<"$VERSIONS") for $GOOD good files" \
  test "$(jq length <<<"$VERSIONS")" -eq "$GOOD"
check "the versions are the good files, each once: $(jq -c '[.[].sourceItem | split("/")[-1]] | sort' <<<"$VERSIONS")" \
  jq -e --argjson good "$GOOD_NAMES" '[.[].sourceItem | split("/")[-1]] | sort == $good' <<<"$VERSIONS"
check "$BAD quarantined with its reason ($(ls "$SHARE/.quarantine" 2>/dev/null | paste -sd' '))" \
  bash -c "test -f '$SHARE/.quarantine/$BAD' && ls '$SHARE/.quarantine/' | grep -q '^$BAD\..*reason'"
check "every run requested ended completed, once ($(jq -c '[.[] | "\(.id[0:8]) \(.status) attempt \(.attempt)"]' <<<"$RUNS"))" \
  jq -e 'length > 0 and all(.[]; .status == "completed") and ([.[].id] | unique | length) == length' <<<"$RUNS"
check "one model version per completed run: versions $(jq -c '[.[] | "v\(.version) run \(.runId[0:8])"]' <<<"$MVERSIONS")" \
  jq -e --argjson runs "$RUNS" '([.[].runId] | sort) == ([$runs[].id] | sort)
    and ([.[].version] | sort) == [range(1; length + 1)]
    and ([$runs[] | .modelVersion] | sort) == ([.[].version] | sort)' <<<"$MVERSIONS"
check "a retrain ran: $(jq length <<<"$RUNS") runs in all, $RUNS_BEFORE after batch 1" test "$(jq length <<<"$RUNS")" -gt "$RUNS_BEFORE"
IMAGE_VERSIONS=$(jq -c '[.[] | select(.status == "pushed") | .version] | sort' <<<"$IMAGES")
check "one image per promoted version: pushed $IMAGE_VERSIONS, promoted $PROMOTED, champion v$CHAMPION; builds $(jq -c '[.[] | "v\(.version) \(.status) attempts \(.attempts)"]' <<<"$IMAGES")" \
  jq -e --argjson p "$PROMOTED" --argjson c "$CHAMPION" '. == $p and (unique == .) and index($c) != null' <<<"$IMAGE_VERSIONS"
check "one rollout per promoted version: $(jq -c '[.[] | "v\(.modelVersion) \(.status) attempts \(.attempts) by \(.owner // "-")"]' <<<"$ROLLOUTS")" \
  jq -e --argjson images "$IMAGE_VERSIONS" --argjson c "$CHAMPION" '([.[].modelVersion] | sort) == $images
    and ([.[] | select(.modelVersion == $c) | .status] == ["deployed"])' <<<"$ROLLOUTS"
ANSWERS=()
for i in 1 2; do
  if await "deploy replica $i's endpoint serving v$CHAMPION" 90 edge_serves "$CHAMPION" "$i"; then
    ANSWERS+=("$(infer "$i" || echo none)")
  else
    ANSWERS+=(none)
  fi
done
check "the champion v$CHAMPION answers an inference on both deploy replicas' endpoints (RUL of the probe engine: ${ANSWERS[*]})" \
  bash -c "[ '${ANSWERS[0]}' != none ] && [ '${ANSWERS[0]}' = '${ANSWERS[1]}' ] && awk 'BEGIN { exit !(${ANSWERS[0]} > -50 && ${ANSWERS[0]} < 400) }'"
DEAD=0
for s in "${SERVICES[@]}"; do for i in 1 2; do
  n=$(curl -sf --max-time 10 "http://127.0.0.1:$(replica_port "$s" "$i" "${PORT[$s]}")/actuator/prometheus" \
    | awk '/^edgeloop_events_dead_lettered_total/ { s += $NF } END { print s + 0 }')
  DEAD=$(awk -v a="$DEAD" -v b="${n:-0}" 'BEGIN { print a + b }')
done; done
check "nothing dead-lettered by any replica ($DEAD)" test "$DEAD" = 0
check "all eight replicas still healthy" all_healthy
for s in "${SERVICES[@]}"; do
  check "both $s replicas running ($(containers "$s" | wc -l) containers)" test "$(containers "$s" | wc -l)" -eq 2
done

echo
log "figures: images built $(secs "$T0" "$T_BUILT") s; 'up' $(secs "$T_BUILT" "$T_UP") s; healthy $(secs "$T_UP" "$T_HEALTHY") s after 'up';"
log "         first file -> serving v$FIRST_CHAMPION $(secs "$T_FIRST" "$T_SERVING1") s; batch 2 -> retrain settled, v$CHAMPION serving $(secs "$T_SECOND" "$T_SERVING2") s"
per_replica() { # service grep-pattern: matching log lines of replica 1/replica 2
  local i; for i in 1 2; do docker logs "$(containers "$1" | sed -n ${i}p)" 2>&1 | grep -cE "$2" || true; done | paste -sd/
}
log "         work per replica (1/2): files landed $(per_replica ingest-service " -> $DATASET@"), runs $(per_replica training-service \
  "run [0-9a-f-]+ running on"), images $(per_replica packaging-service "image registry:5000/edgeloop/$MODEL:[0-9]+ .* is pushed"), rollouts $(per_replica \
  deploy-service "deployment [0-9]+ of $MODEL v[0-9]+ to $TARGET: deployed")"
log "         runs: $(jq -c '[.[] | "\(.id[0:8]) \(.startedAt[11:19]) -> \(.endedAt[11:19])"]' <<<"$RUNS")"
rss_report
echo
if [ "$FAILS" -eq 0 ]; then log "PASS: the compose topology ran the loop with two replicas per service"; exit 0; fi
log "FAIL: $FAILS check(s) did not hold; container logs in $WORK/logs"
exit 1
