package io.edgeloop.security.web;

import org.springframework.http.HttpMethod;

/**
 * A request body limit of its own for one endpoint (an upload), in place of
 * {@code edgeloop.security.max-body-bytes}. A service declares it as a bean.
 *
 * @param pathPattern a Spring path pattern ({@code /api/snapshots}, {@code /api/x/{id}/files})
 * @param setting the configuration key that sets {@code maxBytes}, named in the 413 message
 */
public record BodyLimit(HttpMethod method, String pathPattern, long maxBytes, String setting) {
  public BodyLimit {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException(setting + " must be positive, got " + maxBytes);
    }
  }
}
