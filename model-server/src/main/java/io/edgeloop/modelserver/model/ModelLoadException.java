package io.edgeloop.modelserver.model;

/** A model package cannot be served: unreadable, inconsistent, or using what this server cannot carry. */
public class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
