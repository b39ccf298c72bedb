package io.edgeloop.packaging.builds;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Where a build stands. Only {@link #PUSHED} images (pushed, signed and smoke-tested) are ever announced. */
public enum BuildStatus {
  /** A promotion arrived for a version whose {@code ModelTrained} has not (yet): built when it comes. */
  AWAITING_MODEL,
  /** Waiting for an instance to claim it. */
  QUEUED,
  /** Failed for a reason that may pass (registry, Docker engine or blob store away): tried again after a backoff. */
  RETRYING,
  /** Claimed: fetching the package, building, pushing and signing. */
  BUILDING,
  /** Pushed and signed; the smoke test runs. */
  SMOKE_TESTING,
  /** Pushed, signed and smoke-tested; {@code ImagePushed} was written to the outbox in the same transaction. */
  PUSHED,
  /** Gave up (a permanent failure, or transient ones for longer than allowed); {@code ImageBuildFailed} says why. */
  FAILED,
  /** Not packaged by policy (promoted-only); a later promotion queues it. */
  SKIPPED;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static BuildStatus parse(String id) {
    return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown build status '" + id + "'"));
  }
}
