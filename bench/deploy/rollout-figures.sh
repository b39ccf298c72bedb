#!/usr/bin/env bash
# Prints the Docker rollout figures: ImagePushed (published by a plain Kafka producer) -> the
# target's stable port answering with the new version, for a first deployment and for switches
# (image pulled by digest, then already on the engine), with a keep-alive infer loop running, and
# the service's own phase timings per rollout (adopt, pull, start, ready, smoke, switch). Runs
# RolloutSpeedIT (skipped in normal test runs) against the real Docker engine, the local registry
# (127.0.0.1:5000), an in-JVM Kafka broker and an embedded PostgreSQL.
# Usage: bench/deploy/rollout-figures.sh [rounds]   (from the repository root; needs a JDK with jmods)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
./mvnw -q -o -pl deploy-service verify -Dtest=RolloutSpeedIT -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddeploy.bench=true -Ddeploy.bench.rounds="${1:-6}" 2>&1 \
  | grep -E '^\[rollout\]|serves; ' | sed -E 's/^.*(target [^:]+: .* serves; )/\1/'
