#!/usr/bin/env bash
# FD001 benchmark: trains the bundled spec (automl/src/main/resources/io/edgeloop/automl/fd001-rul.yaml)
# on train_FD001 and prints test RMSE, PHM08 score, training wall time and trial count.
# Usage: automl/bench/automl-fd001.sh [cmapss dir] [time budget seconds]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-$root/../shared/data/cmapss}"
budget="${2:-60}"
cd "$root"
mvn -q -f automl/pom.xml compile dependency:build-classpath -Dmdep.outputFile="$root/automl/target/bench.cp"
exec java -cp "automl/target/classes:$(cat automl/target/bench.cp)" io.edgeloop.automl.Fd001Bench "$data" "$budget"
