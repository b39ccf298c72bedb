package io.edgeloop.training.run;

/**
 * A run cannot go on: {@code phase} (preparing, running, exporting, registering) and a stable
 * {@code reason} code (unknown_column, exit_code, timeout, no_model, unsafe_snapshot,
 * snapshot_too_large, ...) become the RunFailed event.
 */
public class RunFailure extends Exception {
  private final String phase;
  private final String reason;

  public RunFailure(String phase, String reason, String message) {
    super(message);
    this.phase = phase;
    this.reason = reason;
  }

  public RunFailure(String phase, String reason, String message, Throwable cause) {
    super(message, cause);
    this.phase = phase;
    this.reason = reason;
  }

  public String phase() {
    return phase;
  }

  public String reason() {
    return reason;
  }
}
