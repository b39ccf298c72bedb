package io.edgeloop.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwitchingProxyTest {
  private final HttpServer one = server("one");
  private final HttpServer two = server("two");
  private SwitchingProxy proxy;

  @AfterEach
  void stop() {
    proxy.close();
    one.stop(0);
    two.stop(0);
  }

  @Test
  void shouldSendNewConnectionsToTheNewUpstreamAndKeepOpenOnesWhereTheyAre() throws Exception {
    proxy = new SwitchingProxy("test", "127.0.0.1", 0);
    proxy.switchTo(one.getAddress());
    try (Socket kept = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(get(kept)).isEqualTo("one");

      InetSocketAddress previous = proxy.switchTo(two.getAddress());

      assertThat(previous).isEqualTo(one.getAddress());
      assertThat(getOnNewConnection()).isEqualTo("two");
      assertThat(get(kept)).as("a keep-alive connection opened before the switch").isEqualTo("one");
    }
  }

  @Test
  void shouldMoveAKeepAliveConnectionToTheNewUpstreamWhenTheOldOneIsStopped() throws Exception {
    proxy = new SwitchingProxy("test", "127.0.0.1", 0);
    proxy.switchTo(one.getAddress());
    try (Socket kept = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(get(kept)).isEqualTo("one");
      proxy.switchTo(two.getAddress());

      one.stop(0); // closes the idle connection behind the kept one

      assertThat(get(kept)).isEqualTo("two");
      assertThat(get(kept)).isEqualTo("two");
    }
  }

  @Test
  void shouldReleaseIdleConnectionsFromTheRetiredUpstreamBeforeItStops() throws Exception {
    proxy = new SwitchingProxy("test", "127.0.0.1", 0);
    proxy.switchTo(one.getAddress());
    try (Socket kept = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(get(kept)).isEqualTo("one");
      proxy.switchTo(two.getAddress());

      int left = proxy.release(one.getAddress(), java.time.Duration.ofSeconds(5));

      assertThat(left).isZero();
      assertThat(get(kept)).as("one still runs, but the connection moved").isEqualTo("two");
    }
  }

  @Test
  void shouldMoveABusyKeepAliveConnectionAtItsNextRequest() throws Exception {
    proxy = new SwitchingProxy("test", "127.0.0.1", 0);
    proxy.switchTo(one.getAddress());
    try (Socket busy = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      java.util.List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
        while (!stop.get()) {
          try {
            answers.add(get(busy));
          } catch (IOException e) {
            answers.add(e.toString());
            return;
          }
        }
      });
      while (answers.size() < 20) {
        Thread.sleep(5);
      }
      proxy.switchTo(two.getAddress());

      assertThat(proxy.release(one.getAddress(), java.time.Duration.ofSeconds(5))).isZero();
      one.stop(0);
      int before = answers.size();
      while (answers.size() < before + 20) {
        Thread.sleep(5);
      }
      stop.set(true);
      loop.get(5, TimeUnit.SECONDS);

      assertThat(answers).containsOnly("one", "two").endsWith("two");
    }
  }

  @Test
  void shouldResendARequestTheRetiredUpstreamClosedWithoutAnswering() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      proxy = new SwitchingProxy("test", "127.0.0.1", 0);
      proxy.switchTo((InetSocketAddress) silent.getLocalSocketAddress());
      CompletableFuture<String> answer;
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
          Socket accepted = silent.accept()) {
        answer = CompletableFuture.supplyAsync(() -> {
          try {
            return get(client);
          } catch (IOException e) {
            return e.toString();
          }
        });
        accepted.getInputStream().read(new byte[64]); // the request arrived ...
        proxy.switchTo(two.getAddress());
        accepted.close(); // ... and the retired upstream hangs up without an answer
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("two");
      }
    }
  }

  @Test
  void shouldCloseConnectionsWhileNoUpstreamServes() throws Exception {
    proxy = new SwitchingProxy("test", "127.0.0.1", 0);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  private String getOnNewConnection() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /** One HTTP/1.1 request on an existing connection; reads the fixed-length answer. */
  private static String get(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    int length = 0;
    for (String line; !(line = in.readLine()).isEmpty(); ) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      read += in.read(body, read, length - read);
    }
    return new String(body);
  }

  private static HttpServer server(String answer) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
