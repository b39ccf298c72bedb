#!/usr/bin/env bash
# The demo's model loop without services (AutoML search on the first batch, refit on both, the
# champion gate on the shared holdout, the served model scored on the test engines): load-independent
# figures (RMSE, PHM08, promotions), plus seconds and CPU seconds measured here.
# Usage: bench/loop/model-loop.sh sim [seeds=1..10] [conditions=1] [faultModes=1] [engines=60] [testEngines=40]
#        bench/loop/model-loop.sh cmapss [DIR] [SUBSET ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl launcher -am install -DskipTests
CP="launcher/target/classes:$(cat launcher/target/classpath.txt)"
args=("$@")
if [ "${1:-sim}" = cmapss ] && [ $# -lt 2 ]; then
  args=(cmapss "${EDGELOOP_SHARED_DIR:-../shared}/data/cmapss")
fi
exec java -Xmx3g -cp "$CP" bench/loop/ModelLoopBench.java "${args[@]:-sim}"
