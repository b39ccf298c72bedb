package io.edgeloop.packaging.image;

/** An image could not be built or pushed; the message says why in words an operator can act on. */
public class ImageBuildException extends Exception {
  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
