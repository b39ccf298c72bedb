package io.edgeloop.ingest;

import io.edgeloop.messaging.EdgeloopKafka;
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

/** The ingest-service in a JVM of its own ({@code -Xmx256m}, as on a small edge box), with one C-MAPSS share and the test's Kafka broker. */
final class IngestProcess {
  private final Process process;
  private final Path log;

  private IngestProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts it with data under {@code dataDir}; {@code jvmOptions} (e.g. test hooks) and {@code args}
   * ({@code --key=value}) come on top of the defaults.
   */
  static IngestProcess start(Path dataDir, String dataset, Path share, List<String> jvmOptions, List<String> args, Path log)
      throws IOException {
    return start(EdgeloopKafka.bootstrapServers(), dataDir, dataset, share, jvmOptions, args, log);
  }

  /** As {@link #start(Path, String, Path, List, List, Path)}, with the broker at {@code bootstrapServers}. */
  static IngestProcess start(String bootstrapServers, Path dataDir, String dataset, Path share, List<String> jvmOptions, List<String> args,
      Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel="))) {
      // C1 only: a faster start-up for small inputs; a test converting gigabytes passes its own level.
      command.add("-XX:TieredStopAtLevel=1");
    }
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), IngestApplication.class.getName(),
        "--edgeloop.data-dir=" + dataDir,
        "--edgeloop.kafka.bootstrap-servers=" + bootstrapServers,
        "--edgeloop.ingest.shares[0].path=" + share,
        "--edgeloop.ingest.shares[0].dataset=" + dataset,
        "--edgeloop.ingest.shares[0].format.preset=cmapss",
        "--edgeloop.ingest.shares[0].settle-time=300ms",
        "--edgeloop.ingest.shares[0].poll-interval=100ms"));
    if (args.stream().noneMatch(a -> a.startsWith("--server.port="))) {
      command.add("--server.port=0");
    }
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new IngestProcess(process, log);
  }

  /** Whether the application context is up (its start-up line is in the log). */
  boolean started() throws IOException {
    return Files.exists(log) && Files.readString(log).contains("Started IngestApplication");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hooks, no cleanup. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** A port nobody listens on now, below the ephemeral range ({@link FreePorts}). */
  static int freePort() {
    return FreePorts.next();
  }

  /** A gauge's value on the service's Prometheus endpoint at {@code port}; -1 while it does not answer or has no such gauge. */
  static long gauge(int port, String name) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return -1;
    }
    return response.body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1L);
  }

  /** Parquet files of conversions in progress (or cut short) in the spool of a service with data under {@code dataDir}. */
  static List<Path> spoolFiles(Path dataDir) throws IOException {
    Path spool = dataDir.resolve("ingest/spool");
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (var files = Files.list(spool)) {
      return files.filter(p -> p.getFileName().toString().matches("ingest-.*\\.parquet")).toList();
    }
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
