package io.edgeloop.infra;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Serves the static exposition-format fixtures ({@code fixtures/services.prom} at
 * {@code /actuator/prometheus}, {@code fixtures/model-server.prom} at {@code /metrics}) over HTTP on
 * a free loopback port, so that a real Prometheus can scrape them. Test fixture only: the bytes are
 * fixed, nothing is computed.
 */
final class ExpositionFixture implements AutoCloseable {
  private final HttpServer server;

  private ExpositionFixture(HttpServer server) {
    this.server = server;
  }

  static ExpositionFixture start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve(server, "/actuator/prometheus", "/fixtures/services.prom");
    serve(server, "/metrics", "/fixtures/model-server.prom");
    server.start();
    return new ExpositionFixture(server);
  }

  /** {@code host:port} of the fixture. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  static String read(String resource) {
    try (InputStream in = ExpositionFixture.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void serve(HttpServer server, String path, String resource) {
    byte[] body = read(resource).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    server.createContext(path, exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
