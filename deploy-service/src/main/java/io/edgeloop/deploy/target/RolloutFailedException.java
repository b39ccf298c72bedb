package io.edgeloop.deploy.target;

/** The new version did not become healthy or failed its smoke test; it was removed again. */
public class RolloutFailedException extends Exception {
  public RolloutFailedException(String message) {
    super(message);
  }

  public RolloutFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
