#!/usr/bin/env bash
# Prints the packaging figures: image size, cold and warm build+push time, and the bytes a second
# model version uploads. Runs JibImageBuilderIT twice against the local registry (127.0.0.1:5000):
# once with an empty cache (jlink + every layer built and uploaded), once warm.
# Usage: bench/packaging/image-figures.sh   (from the repository root; needs the registry and a JDK with jmods)
set -euo pipefail
cd "$(dirname "$0")/../.."
cold=$(mktemp -d /tmp/edgeloop-packaging-cold-XXXX)
trap 'rm -rf "$cold"' EXIT
for run in cold warm; do
  start=$(date +%s.%N)
  out=$(mvn -q -o -pl packaging-service verify -Dtest='JibImageBuilderIT#shouldBuildASmall*' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dpackaging.test-cache="$cold" 2>&1 | grep '^\[packaging\]' || true)
  end=$(date +%s.%N)
  echo "$run: ${out:-no figures (registry or jlink missing? see the test output)}"
  printf '%s: mvn wall time %.1f s\n' "$run" "$(echo "$end - $start" | bc)"
done
