#!/usr/bin/env bash
# Ingest benchmark: ~1 GB of C-MAPSS-shaped text -> Parquet into the local store and Azurite, beside a
# plain copy of the same bytes (the ceiling), with peak heap. The input is generated under /tmp
# (never committed). Usage: bench/ingest/run.sh [workdir] [bytes] [heap]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/edgeloop-ingest-bench}
BYTES=${2:-1073741824}
HEAP=${3:-256m}
mvn -q -pl storage install -DskipTests && mvn -q -pl ingest-service compile
mvn -q -pl ingest-service dependency:build-classpath -Dmdep.outputFile=/tmp/edgeloop-ingest-bench.cp -Dmdep.includeScope=runtime
CP="ingest-service/target/classes:$(cat /tmp/edgeloop-ingest-bench.cp)"
exec java -Xmx"$HEAP" -Xlog:disable -cp "$CP" bench/ingest/IngestBench.java "$WORK" "$BYTES" \
  "${EDGELOOP_SHARED_DIR:-../shared}/data/cmapss/train_FD001.txt.gz"
