package io.edgeloop.packaging.smoke;

/** A pushed image did not pass its smoke test; the message says what failed. */
public class SmokeTestException extends Exception {
  public SmokeTestException(String message) {
    super(message);
  }

  public SmokeTestException(String message, Throwable cause) {
    super(message, cause);
  }
}
