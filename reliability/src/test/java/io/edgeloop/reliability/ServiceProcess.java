package io.edgeloop.reliability;

import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A service run as an operator runs it: {@code java -jar <service>-exec.jar --key=value...} in a JVM
 * of its own ({@code -Xmx384m}), on a free loopback port, its output in a log file.
 */
final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final Path log;
  private final int port;

  private ServiceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The exec jar named by system property {@code edgeloop.reliability.<service>-jar}; skips the test where it was not built. */
  static Path jar(String service) {
    Path jar = Path.of(System.getProperty("edgeloop.reliability." + service + "-jar", "../" + service + "-service/target/missing.jar"));
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar), "no " + jar + ": `./mvnw -B verify` builds it before this module");
    return jar;
  }

  /** {@code jvmOptions}: e.g. a test hook's {@code -D}; the log is appended to (a restart writes on). */
  static ServiceProcess start(Path jar, List<String> jvmOptions, List<String> args, Path log) throws IOException {
    int port = FreePorts.next();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new ServiceProcess(process, log, port);
  }

  /** Waits until {@code /actuator/health} says UP (or the process died: then fails with its log's tail). */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!health().contains("\"UP\"")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the service is not healthy (" + health() + "); its log ends:\n" + tail());
      }
      Thread.sleep(500);
    }
  }

  String health() throws InterruptedException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return e.toString();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /** SIGKILL: no shutdown hooks, no cleanup. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
