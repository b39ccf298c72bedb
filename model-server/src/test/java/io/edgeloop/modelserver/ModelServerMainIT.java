package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server on the runtime the OCI image uses: a {@code jlink}ed JRE with only
 * {@link #MODULES}, started as a separate process with environment configuration, then stopped
 * with SIGTERM. Slow (jlink takes ~10 s the first time; the runtime is kept in target/).
 */
class ModelServerMainIT {

  /** The modules the image's runtime has. */
  static final String MODULES = String.join(",", ModelServer.RUNTIME_MODULES);

  @TempDir
  Path dir;

  @Test
  void shouldServeOnAJlinkedRuntimeAndStopOnSigterm() throws Exception {
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    assumeTrue(Files.isExecutable(jlink), "no jlink in " + System.getProperty("java.home") + ": skipped");
    Path runtime = Path.of("target", "jlink-runtime-" + Integer.toHexString(MODULES.hashCode()));
    if (!Files.isExecutable(runtime.resolve("bin/java"))) {
      Process p = new ProcessBuilder(jlink.toString(), "--add-modules", MODULES, "--strip-debug",
          "--no-header-files", "--no-man-pages", "--output", runtime.toString()).inheritIO().start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("jlink succeeded").isTrue();
    }
    Path pkg = ModelPackageMother.linear(dir.resolve("pkg"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("server.log");
    ProcessBuilder builder = new ProcessBuilder(runtime.resolve("bin/java").toString(), "-cp",
        System.getProperty("java.class.path"), ModelServerMain.class.getName(), "--port=" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("EDGELOOP_MODEL_DIR", pkg.toString());
    Process server = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (status(http, base.resolve("/v2/health/ready")) != 200) {
        assertThat(server.isAlive()).as("server alive; log: %s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("ready within 30 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      String body = OipClient.json(Map.of("inputs", List.of(Map.of("name", "features", "datatype", "FP32",
          "shape", List.of(1, 4), "data", List.of(1, 2, 3, 4)))));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v2/models/rul/infer"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"data\":[" + (float) OipEndpointsTest.linear(1, 2, 3, 4) + "]");
      assertThat(http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("jvm_threads_live_threads", "process_cpu_usage");

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(15, TimeUnit.SECONDS)).as("stopped within 15 s").isTrue();
      assertThat(server.exitValue()).isEqualTo(143);
      assertThat(Files.readString(log)).contains("edgeloop-model-server: stopped in");
    } finally {
      server.destroyForcibly();
    }
  }

  private static int status(HttpClient http, URI uri) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
