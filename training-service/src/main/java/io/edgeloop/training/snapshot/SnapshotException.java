package io.edgeloop.training.snapshot;

import io.edgeloop.contracts.RunFailureReason;

/** A project snapshot is refused: {@code reason} is {@code unsafe_snapshot} or {@code snapshot_too_large}. */
public class SnapshotException extends Exception {
  private final RunFailureReason reason;

  public SnapshotException(RunFailureReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RunFailureReason reason() {
    return reason;
  }
}
