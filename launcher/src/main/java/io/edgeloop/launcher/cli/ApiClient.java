package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON-over-HTTP client for the services' REST APIs, with errors a person can act on. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public JsonNode get(String base, String path) throws IOException, InterruptedException {
    return send(base, path, HttpRequest.newBuilder(uri(base, path)).GET());
  }

  public JsonNode post(String base, String path, Object body) throws IOException, InterruptedException {
    String json = body == null ? "{}" : JSON.writeValueAsString(body);
    return send(
        base,
        path,
        HttpRequest.newBuilder(uri(base, path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public JsonNode put(String base, String path, Object body) throws IOException, InterruptedException {
    String json = body == null ? "{}" : JSON.writeValueAsString(body);
    return send(
        base,
        path,
        HttpRequest.newBuilder(uri(base, path)).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public String getText(String base, String path) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(base, path)).header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
      check(base, path, response);
      return response.body();
    } catch (ConnectException e) {
      throw unreachable(base);
    }
  }

  private JsonNode send(String base, String path, HttpRequest.Builder request) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      check(base, path, response);
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (ConnectException e) {
      throw unreachable(base);
    }
  }

  private static void check(String base, String path, HttpResponse<String> response) throws IOException {
    if (response.statusCode() >= 400) {
      throw new IOException("HTTP " + response.statusCode() + " from " + base + path + ": " + response.body());
    }
  }

  private static IOException unreachable(String base) {
    return new IOException("cannot reach " + base + " - is edgeloop running (`./edgeloop up`)? Set the service URL options or EDGELOOP_*_URL otherwise.");
  }

  private static URI uri(String base, String path) {
    return URI.create(base.replaceAll("/+$", "") + path);
  }
}
