#!/usr/bin/env bash
# Ingest benchmark: ~1 GB of C-MAPSS-shaped text -> Parquet by edgeloop and by DuckDB's embedded
# engine (same file, same threads, same run), into the local store and Azurite, beside a plain copy
# of the same bytes into the same container, with peak heap. The input is generated under the work
# folder (never committed); the stores' copies are deleted afterwards.
# Usage: bench/ingest/run.sh [--work DIR] [--bytes N] [--threads N] [--rounds N] [--big BYTES]
#                            [--no-azurite] [--heap 256m]
#   --big 10737418240 also converts one 10 GB file (generated, then deleted) and compares it with the 1 GB figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
HEAP=256m
ARGS=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--heap" ]; then HEAP=$2; shift 2; else ARGS+=("$1"); shift; fi
done
LIB=ingest-service/target/bench-lib
./mvnw -B -q -pl ingest-service -am install -DskipTests
./mvnw -B -q -pl ingest-service dependency:build-classpath -Dmdep.outputFile="$PWD/ingest-service/target/bench-classpath" -Dmdep.includeScope=runtime
# DuckDB is the bench's yardstick only: not a dependency of any module.
./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy -Dartifact=org.duckdb:duckdb_jdbc:2.0.0.1 -DoutputDirectory="$LIB"
CP="ingest-service/target/classes:$(cat ingest-service/target/bench-classpath):$LIB/duckdb_jdbc-2.0.0.1.jar"
exec java -Xmx"$HEAP" -Xlog:disable -Dlogback.configurationFile=bench/ingest/logback.xml -cp "$CP" bench/ingest/IngestBench.java \
  --reference "${EDGELOOP_SHARED_DIR:-../shared}/data/cmapss/train_FD001.txt.gz" "${ARGS[@]}"
