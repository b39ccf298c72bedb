package io.edgeloop.modelserver.http;

import java.util.Map;

/**
 * One HTTP response, independent of the transport that writes it.
 *
 * @param contentType null for an empty body
 * @param headers extra response headers (e.g. {@code Allow} on a 405)
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

  private static final byte[] NONE = new byte[0];

  static Reply empty(int status) {
    return new Reply(status, null, NONE, Map.of());
  }

  static Reply of(int status, String contentType, byte[] body) {
    return new Reply(status, contentType, body, Map.of());
  }

  Reply withHeader(String name, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, Map.copyOf(more));
  }
}
