package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-command mode as a user runs it, in its own JVM: {@code edgeloop up} prints where everything
 * listens and {@code edgeloop ready}; another system (a plain Kafka producer, no edgeloop code)
 * publishes a {@code RunRequested} that the training service takes up; SIGTERM stops it with exit
 * code 0 and no stack traces. Slow (about a minute): it starts the whole stack.
 */
class UpCommandIT {
  private static final Pattern KAFKA = Pattern.compile("kafka\\s+(\\S+:\\d+)");
  private static final Pattern READY = Pattern.compile("edgeloop ready in ([\\d.]+) s \\(rss (\\d+) MB\\)");

  @TempDir Path dataDir;

  @Test
  void shouldStartTakeForeignEventsAndStopCleanlyOnSigterm() throws Exception {
    int portBase = FreePorts.block();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g",
        "-cp", System.getProperty("java.class.path"),
        EdgeloopCommand.class.getName(), "up",
        "--kafka-port", "0",
        "--port-base", String.valueOf(portBase),
        "--data-dir", dataDir.toString(),
        "-D", "edgeloop.deploy.local-target.enabled=false"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread pump = new Thread(() -> reader.lines().forEach(line -> {
      synchronized (output) {
        output.add(line);
        output.notifyAll();
      }
    }));
    pump.start();
    try {
      String ready = awaitLine(output, READY, Duration.ofMinutes(5));
      Matcher readyMatch = READY.matcher(ready);
      assertThat(readyMatch.find()).isTrue();
      System.out.printf("edgeloop up: ready in %s s, rss %s MB%n", readyMatch.group(1), readyMatch.group(2));
      Matcher kafka = KAFKA.matcher(awaitLine(output, KAFKA, Duration.ofSeconds(1)));
      assertThat(kafka.find()).isTrue();

      String runId = "foreign-" + UUID.randomUUID();
      publishRunRequestedAsAnotherSystem(kafka.group(1), runId);
      String run = awaitHttp("http://127.0.0.1:" + (portBase + 2) + "/api/runs/" + runId, Duration.ofSeconds(90));
      assertThat(run).contains(runId).contains("external");

      // The CLI, as a user runs it against this stack: its own JVM, exit codes, stdout and stderr.
      String[] urls = {"--ingest-url", "http://127.0.0.1:" + (portBase + 1), "--training-url",
          "http://127.0.0.1:" + (portBase + 2), "--packaging-url", "http://127.0.0.1:" + (portBase + 3),
          "--deploy-url", "http://127.0.0.1:" + (portBase + 4)};
      Cli show = cli(urls, "runs", "show", runId, "-o", "json");
      assertThat(show.exit()).as(show.toString()).isZero();
      assertThat(show.out()).contains("\"id\" : \"" + runId + "\"", "\"trigger\" : \"external\"");
      Cli list = cli(urls, "runs", "list");
      assertThat(list.exit()).as(list.toString()).isZero();
      assertThat(list.out()).startsWith("ID ").contains(runId, "foreign-experiment");
      Cli trials = cli(urls, "runs", "trials", runId, "-o", "json");
      assertThat(trials.exit()).as(trials.toString()).isZero();
      assertThat(trials.out().strip()).matches("\\[\\s*]"); // no data landed: the run never got to a trial
      Cli unknown = cli(urls, "runs", "show", "no-such-run");
      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err()).startsWith("edgeloop: HTTP 404").contains("no run no-such-run").doesNotContain("\tat ");
      for (String area : List.of("datasets", "models", "images", "deployments")) {
        Cli empty = cli(urls, area, "list", "-o", "json");
        assertThat(empty.exit()).as(empty.toString()).isZero();
        assertThat(empty.out().strip()).as(area).startsWith("[");
      }

      // SIGTERM; Process.destroy() would also close our end of the child's output before we read it all.
      process.toHandle().destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      pump.join(30_000);
      assertThat(process.exitValue()).isZero();
      synchronized (output) {
        assertThat(output).anyMatch(line -> line.contains("edgeloop stopped"));
        assertThat(output).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread"));
      }
    } finally {
      process.destroyForcibly();
    }
  }

  record Cli(int exit, String out, String err) {}

  /** Runs {@code edgeloop ARGS URLS} in its own JVM. */
  private static Cli cli(String[] urls, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EdgeloopCommand.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of(urls));
    Path out = Files.createTempFile("edgeloop-cli", ".out");
    Path err = Files.createTempFile("edgeloop-cli", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("edgeloop " + String.join(" ", args) + " ended").isTrue();
      return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Exactly what a system without edgeloop's code would send: ce_* headers and JSON. */
  private static void publishRunRequestedAsAnotherSystem(String bootstrap, String runId) throws Exception {
    String json = """
        {"runId":"%s","experiment":"foreign-experiment","trigger":"external",
         "datasets":[{"name":"not-landed-yet","version":1}],
         "spec":{"kind":"automl","settings":{}},"computeTarget":"local",
         "requestedAt":"%s","someFieldEdgeloopDoesNotKnow":true}
        """.formatted(runId, Instant.now());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>("edgeloop.run-requested", "foreign-experiment", json.getBytes(StandardCharsets.UTF_8));
      record.headers()
          .add("ce_specversion", bytes("1.0"))
          .add("ce_id", bytes(UUID.randomUUID().toString()))
          .add("ce_type", bytes("edgeloop.run.requested.v1"))
          .add("ce_source", bytes("urn:example:scheduler"))
          .add("content-type", bytes("application/json"));
      producer.send(record).get();
    }
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static String awaitLine(List<String> output, Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (output) {
      while (true) {
        for (String line : output) {
          if (pattern.matcher(line).find()) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no line matching " + pattern + " in:\n" + String.join("\n", output.subList(Math.max(0, output.size() - 60), output.size())));
        }
        output.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private static String awaitHttp(String url, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(url + " did not answer 200 within " + timeout + ": " + last);
  }
}
