package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.modelserver.inference.ModelPackageLoader;
import io.edgeloop.modelserver.model.ModelLoadException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness while loading and draining, and a shutdown that lets in-flight requests finish. */
class GracefulShutdownTest {

  @TempDir
  Path dir;

  static final String ROW = OipClient.json(Map.of("inputs", List.of(Map.of("name", "features", "datatype", "FP32",
      "shape", List.of(1, 4), "data", List.of(1, 2, 3, 4)))));

  @Test
  void shouldBeLiveButNotReadyWhileTheModelLoads() throws Exception {
    Path pkg = ModelPackageMother.linear(dir);
    CountDownLatch release = new CountDownLatch(1);
    ModelServerConfig config = ModelServerConfig.of(pkg).withPort(0);
    try (ModelServer server = ModelServer.start(config, () -> {
      awaitQuietly(release);
      return ModelPackageLoader.load(pkg, 1);
    })) {
      OipClient client = new OipClient(server);
      assertThat(client.get("/v2/health/live").status()).isEqualTo(200);
      assertThat(client.get("/v2/health/ready").status()).isEqualTo(503);
      assertThat(client.get("/v2/models/rul/ready").status()).isEqualTo(503);
      OipClient.Response infer = client.post("/v2/models/rul/infer", ROW);
      assertThat(infer.status()).isEqualTo(503);
      assertThat(infer.json().get("error").asText()).contains("loading");

      release.countDown();
      server.awaitReady(Duration.ofSeconds(30));
      assertThat(client.get("/v2/health/ready").status()).isEqualTo(200);
      assertThat(client.post("/v2/models/rul/infer", ROW).status()).isEqualTo(200);
    }
  }

  @Test
  void shouldFailToStartOnABrokenPackage() throws Exception {
    Path pkg = ModelPackageMother.linear(dir);
    Files.write(pkg.resolve("model.onnx"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ModelServer.start(ModelServerConfig.of(pkg).withPort(0)))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("sha256");
  }

  @Test
  void shouldFinishInFlightRequestsThenStop() throws Exception {
    ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir)).withPort(0)
        .withDrainTimeout(Duration.ofSeconds(20)));
    int port = server.port();
    byte[] body = ROW.getBytes(StandardCharsets.UTF_8);
    try (Socket inFlight = new Socket("127.0.0.1", port)) {
      inFlight.setSoTimeout(10_000);
      OutputStream out = inFlight.getOutputStream();
      // Headers and half the body: the request is in the handler, waiting for the rest.
      out.write(("POST /v2/models/rul/infer HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      waitUntil(() -> new OipClient(server).get("/metrics").body().contains("edgeloop_inference_in_flight 2.0"));

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      waitUntil(() -> !server.isReady());
      assertThat(new OipClient(server).get("/v2/health/ready").status()).isEqualTo(503);
      assertThat(new OipClient(server).post("/v2/models/rul/infer", ROW).status()).isEqualTo(503);
      assertThat(closing).isNotDone();

      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(inFlight.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("HTTP/1.1 200");
      closing.get(15, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
