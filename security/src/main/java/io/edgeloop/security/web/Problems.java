package io.edgeloop.security.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Writes an RFC 9457 problem ({@code application/problem+json}) from a filter, where no controller
 * advice can: refusals of the security layer look like the API's own errors.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", status.getReasonPhrase());
    problem.put("status", status.value());
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setStatus(status.value());
    response.setContentType(CONTENT_TYPE);
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
