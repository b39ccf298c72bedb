package io.edgeloop.messaging;

/**
 * A consumed record that can never be handled, however often it is tried (it names something that
 * cannot exist, it breaks a rule of the receiving service). Thrown from a handler, it sends the
 * record to the service's dead-letter topic at once, where every other failure is retried first.
 */
public class PoisonEventException extends RuntimeException {
  public PoisonEventException(String message) {
    super(message);
  }

  public PoisonEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
