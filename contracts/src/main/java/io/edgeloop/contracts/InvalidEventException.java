package io.edgeloop.contracts;

/**
 * A record that is not a valid edgeloop event: not a CloudEvent, an unknown type, data that does
 * not parse or does not satisfy the type's JSON Schema. Consumers let it propagate so that the
 * binder moves the record to the dead-letter topic with this message.
 */
public class InvalidEventException extends RuntimeException {
  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
