package io.edgeloop.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to the test app, with or without a bearer token. */
final class SecurityTestClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final int port;

  SecurityTestClient(int port) {
    this.port = port;
  }

  HttpResponse<String> get(String path, String token) {
    return send(request(path, token).GET());
  }

  HttpResponse<String> post(String path, String token, String json) {
    return send(request(path, token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> delete(String path, String token) {
    return send(request(path, token).DELETE());
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }
}
