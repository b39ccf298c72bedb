package io.edgeloop.training.registry;

/** A registry request cannot be honoured: {@code status} is the HTTP status the API answers with. */
public class RegistryException extends RuntimeException {
  private final int status;

  public RegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
