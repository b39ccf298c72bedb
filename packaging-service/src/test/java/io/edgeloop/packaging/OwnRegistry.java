package io.edgeloop.packaging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A registry process of a test's own (Debian's {@code docker-registry}) on a free loopback port,
 * which the test may stop and start again (same port, same storage) without touching the shared one.
 */
public final class OwnRegistry implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private final Path dir;
  private final int port;
  private Process process;

  private OwnRegistry(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts one in {@code dir}; skips the test when Debian's docker-registry is not installed. */
  public static OwnRegistry start(Path dir) throws Exception {
    assumeTrue(Files.isExecutable(BINARY), "no " + BINARY + " (Debian's docker-registry): skipped");
    int port = FreePorts.next();
    OwnRegistry registry = new OwnRegistry(dir, port);
    registry.up();
    return registry;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Starts it again after {@link #down}: same port, same images. */
  public void up() throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("registry.yml");
    Files.writeString(config, "version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: " + dir.resolve("data")
        + "}, delete: {enabled: true}}\nhttp: {addr: " + address() + "}\n");
    process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!answers()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("the registry on " + address() + " did not start; see " + dir.resolve("registry.log"));
      }
      Thread.sleep(100);
    }
  }

  /** Stops the process (SIGKILL): the registry is gone until {@link #up}. */
  public void down() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
      process = null;
    }
  }

  public boolean answers() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    down();
  }
}
