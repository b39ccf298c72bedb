package io.edgeloop.packaging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The infrastructure the ITs need (the local registry, the Docker engine, jlink); each check skips the test with the reason when absent. */
public final class Infrastructure {
  public static final String REGISTRY = "127.0.0.1:5000";
  public static final String DOCKER_HOST = "unix:///var/run/docker.sock";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Infrastructure() {}

  public static void assumeRegistry() {
    assumeTrue(get("http://" + REGISTRY + "/v2/") == 200, "no OCI registry at " + REGISTRY + ": skipped");
  }

  public static void assumeDocker() {
    assumeTrue(Files.exists(Path.of("/var/run/docker.sock")), "no Docker engine at " + DOCKER_HOST + ": skipped");
  }

  public static void assumeJlink() {
    Path home = Path.of(System.getProperty("java.home"));
    assumeTrue(Files.isExecutable(home.resolve("bin/jlink")) && Files.isDirectory(home.resolve("jmods")),
        "this JDK (" + home + ") has no jlink/jmods for the small runtime: skipped");
  }

  /** The model server's jars: null = found as the service finds them (ServerJars: this test JVM's classpath). */
  public static Path serverLibDir() {
    String dir = System.getProperty("edgeloop.packaging.server-lib-dir");
    return dir == null || dir.isBlank() ? null : Path.of(dir);
  }

  /** Caches shared by the tests of one build (jlinked runtime, Jib layers). */
  public static Path cacheDir() {
    return Path.of(System.getProperty("edgeloop.packaging.test-cache", "target/packaging-cache"));
  }

  private static int get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
