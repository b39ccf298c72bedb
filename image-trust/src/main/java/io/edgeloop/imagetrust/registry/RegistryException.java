package io.edgeloop.imagetrust.registry;

import java.io.IOException;

/**
 * The registry could not be asked. {@link #isTransient()} tells a caller whether trying again later
 * may help (unreachable, timed out, 5xx, 429) or not (credentials refused, request refused).
 */
public class RegistryException extends IOException {
  private final boolean transientFailure;
  private final int status;

  public RegistryException(String message, boolean transientFailure, int status, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.status = status;
  }

  /** True when the registry was unreachable or answered that it cannot serve now: try again later. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The HTTP status the registry answered, or 0 when it did not answer. */
  public int status() {
    return status;
  }
}
