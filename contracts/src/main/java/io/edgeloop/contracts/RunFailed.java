package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/** A run ended without a model: {@code phase} where it failed, {@code reason} a stable code, {@code error} the message. */
public record RunFailed(
    String runId, String experiment, RunPhase phase, RunFailureReason reason, String error, Instant failedAt)
    implements EdgeloopEvent {

  public RunFailed {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(failedAt, "failedAt");
  }

  @Override
  public String partitionKey() {
    return experiment;
  }

  @Override
  public String naturalKey() {
    return runId;
  }
}
