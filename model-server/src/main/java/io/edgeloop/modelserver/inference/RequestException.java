package io.edgeloop.modelserver.inference;

/**
 * A request the server refuses, with the HTTP status that says why: 400 malformed or not matching
 * the signature, 404 unknown model or version, 413 body too large, 503 not ready. The message goes
 * to the client as the OIP {@code {"error": ...}} object.
 */
public class RequestException extends RuntimeException {

  private final int status;

  public RequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  public static RequestException badRequest(String message) {
    return new RequestException(400, message);
  }

  public static RequestException notFound(String message) {
    return new RequestException(404, message);
  }

  public int status() {
    return status;
  }
}
