package io.edgeloop.training.snapshot;

/** A project snapshot is refused: {@code reason} is {@code unsafe_snapshot} or {@code snapshot_too_large}. */
public class SnapshotException extends Exception {
  private final String reason;

  public SnapshotException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
