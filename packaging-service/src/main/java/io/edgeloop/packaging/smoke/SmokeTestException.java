package io.edgeloop.packaging.smoke;

/**
 * A pushed image did not pass its smoke test; the message says what failed. Transient when the test
 * could not run (no Docker engine answered, the pull timed out): the image itself was not judged.
 */
public class SmokeTestException extends Exception {
  private final boolean transientFailure;

  public SmokeTestException(String message) {
    this(message, null, false);
  }

  public SmokeTestException(String message, Throwable cause) {
    this(message, cause, false);
  }

  SmokeTestException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** The test could not run: try again later. */
  static SmokeTestException couldNotRun(String message, Throwable cause) {
    return new SmokeTestException(message, cause, true);
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
