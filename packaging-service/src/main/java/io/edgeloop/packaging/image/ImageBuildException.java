package io.edgeloop.packaging.image;

import io.edgeloop.contracts.BuildFailureReason;

/**
 * An image could not be built or pushed; the message says why in words an operator can act on,
 * {@link #reason()} as a code, and {@link #isTransient()} whether trying again later may help
 * (registry unreachable) or not (credentials refused, base image missing, server jars missing).
 */
public class ImageBuildException extends Exception {
  private final BuildFailureReason reason;
  private final boolean transientFailure;

  public ImageBuildException(BuildFailureReason reason, boolean transientFailure, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.transientFailure = transientFailure;
  }

  public BuildFailureReason reason() {
    return reason;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
