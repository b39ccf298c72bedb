package io.edgeloop.training.run;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;

/** A run cannot go on: its phase and a stable reason code become the RunFailed event. */
public class RunFailure extends Exception {
  private final RunPhase phase;
  private final RunFailureReason reason;

  public RunFailure(RunPhase phase, RunFailureReason reason, String message) {
    super(message);
    this.phase = phase;
    this.reason = reason;
  }

  public RunFailure(RunPhase phase, RunFailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.phase = phase;
    this.reason = reason;
  }

  public RunPhase phase() {
    return phase;
  }

  public RunFailureReason reason() {
    return reason;
  }
}
