#!/usr/bin/env bash
# Prints how long a model image takes to build, push and sign (issue #15 item 5), as the service
# does it: a first image on an empty cache without warm-up; the start-up warm-up (jlink, runtime and
# server layers, server image pushed); then new model versions after it (median, max, bytes uploaded).
# Usage: bench/packaging/build-push.sh [versions]   (from the repository root; needs the registry on
# 127.0.0.1:5000 and a JDK with jmods; the modules must be installed: ./mvnw -pl packaging-service -am install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl packaging-service verify -Dtest=PackagingBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.versions="${1:-8}" -DtrimStackTrace=false 2>&1 | grep '^\[packaging-bench\]' || {
  echo "no figures: is the registry at 127.0.0.1:5000 up, and does this JDK have jmods?" >&2
  exit 1
}
