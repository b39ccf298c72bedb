package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * JSON over HTTP to the services' REST APIs with the CLI's bearer token, and every failure as one
 * line a person can act on ({@link CliException}): a service that does not answer, a refused token
 * (which token, which role the call needs), a missing thing ({@code no run 'x'}), or the problem
 * detail the service gave; never a raw body or a stack trace.
 */
public final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final Token token;
  private final BiFunction<Service, String, String> unreachable;

  ApiClient(Token token, BiFunction<Service, String, String> unreachable) {
    this.token = token;
    this.unreachable = unreachable;
  }

  /** A client with the token in {@code tokenFile} (one-command mode's admin token), for code that runs beside the stack. */
  public static ApiClient of(Path tokenFile) {
    return new ApiClient(Token.fromFile(tokenFile), (service, url) -> "cannot reach " + service.id() + " at " + url);
  }

  /** {@code GET base + path} as a viewer. */
  public JsonNode get(Service service, String base, String path) {
    return call(service, base, "GET", path).json();
  }

  public Call call(Service service, String base, String method, String path) {
    return new Call(service, base, method, path);
  }

  /** One request; {@link #json()} or {@link #text()} sends it. */
  public final class Call {
    private final Service service;
    private final String base;
    private final String method;
    private final String path;
    private Object body;
    private Role role = Role.VIEWER;
    private String missing;

    private Call(Service service, String base, String method, String path) {
      this.service = service;
      this.base = base.replaceAll("/+$", "");
      this.method = method;
      this.path = path;
    }

    /** The JSON body to send. */
    public Call body(Object value) {
      this.body = value;
      return this;
    }

    /** The role the call needs (said when the service refuses the token); viewer by default. */
    public Call role(Role needed) {
      this.role = needed;
      return this;
    }

    /** What a 404 means here, as the one line to print (e.g. {@code no run 'x'}). */
    public Call missing(String message) {
      this.missing = message;
      return this;
    }

    public JsonNode json() {
      String response = send("application/json");
      try {
        return response.isBlank() ? JSON.createObjectNode() : JSON.readTree(response);
      } catch (IOException e) {
        throw new CliException(service.id() + " answered something that is not JSON: " + firstLine(response));
      }
    }

    public String text() {
      return send("text/plain");
    }

    private String send(String accept) {
      HttpURLConnection connection = null;
      try {
        // HttpURLConnection rather than java.net.http: the latter sets up TLS and a selector thread
        // before the first request, a good part of a CLI call's time.
        connection = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(60000);
        connection.setRequestMethod(method);
        connection.setRequestProperty("Accept", accept);
        if (token.present()) {
          connection.setRequestProperty("Authorization", "Bearer " + token.value());
        }
        if (body != null || method.equals("POST") || method.equals("PUT")) {
          byte[] json = body == null ? "{}".getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
          connection.setRequestProperty("Content-Type", "application/json");
          connection.setDoOutput(true);
          connection.setFixedLengthStreamingMode(json.length);
          try (OutputStream out = connection.getOutputStream()) {
            out.write(json);
          }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String response = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (status >= 400) {
          throw refusal(status, response);
        }
        return response;
      } catch (ConnectException | SocketTimeoutException e) {
        throw new CliException(unreachable.apply(service, base));
      } catch (IOException e) {
        throw new CliException(service.id() + " at " + base + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      } finally {
        if (connection != null) {
          connection.disconnect();
        }
      }
    }

    private CliException refusal(int status, String body) {
      if (status == 401) {
        return new CliException(service.id() + " refused the request (401): "
            + (token.present() ? "the token from " + token.source() + " is not valid (unknown, expired or revoked)" : "no token was sent; token: " + token.source())
            + "; this needs role " + role);
      }
      if (status == 403) {
        return new CliException(service.id() + " refused the token from " + token.source() + " (403): this needs role " + role);
      }
      if (status == 404 && missing != null) {
        return new CliException(missing);
      }
      return new CliException(service.id() + ": " + detail(body) + " (HTTP " + status + ")");
    }
  }

  /** The problem detail of an error body (RFC 7807 {@code detail}, else {@code message}/{@code error}/{@code title}), else its first line. */
  static String detail(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      for (String field : new String[] {"detail", "message", "error", "title"}) {
        if (node.path(field).isTextual() && !node.path(field).asText().isBlank()) {
          return firstLine(node.path(field).asText());
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // a plain-text body
    }
    return body == null || body.isBlank() ? "no details given" : firstLine(body);
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 197) + "..." : line;
  }
}
