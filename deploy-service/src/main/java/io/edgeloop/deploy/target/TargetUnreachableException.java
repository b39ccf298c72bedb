package io.edgeloop.deploy.target;

/** The target did not answer; the rollout stays pending and is retried with backoff. */
public class TargetUnreachableException extends Exception {
  public TargetUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
