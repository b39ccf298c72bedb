package io.edgeloop.packaging.builds;

import io.edgeloop.contracts.BuildFailureReason;

/**
 * A build step failed. {@link #isTransient()} decides what follows: a transient failure (registry,
 * Docker engine or blob store unreachable) is retried with backoff for as long as configured; a
 * permanent one (invalid package, failed smoke test, credentials refused) ends the build as failed
 * at once. The message is what operators read.
 */
public final class BuildFailure extends Exception {
  private final BuildFailureReason reason;
  private final boolean transientFailure;

  public BuildFailure(BuildFailureReason reason, boolean transientFailure, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.transientFailure = transientFailure;
  }

  public static BuildFailure permanent(BuildFailureReason reason, String message, Throwable cause) {
    return new BuildFailure(reason, false, message, cause);
  }

  public static BuildFailure transientFailure(BuildFailureReason reason, String message, Throwable cause) {
    return new BuildFailure(reason, true, message, cause);
  }

  public BuildFailureReason reason() {
    return reason;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
