package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
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
 * One-command mode as a user runs it ({@code ./edgeloop up} in a folder of their own, its own JVM):
 * it listens where it was told ({@code --kafka-port}, {@code --port-base}), writes its identity,
 * its admin token and where it listens into the data folder, and the CLI (its own JVM, no flags)
 * finds it there; another system (a plain Kafka producer, no edgeloop code) publishes a
 * {@code RunRequested} that the training service takes up; SIGTERM stops it with exit code 0 and no
 * stack traces. Slow (a few minutes here): it starts the whole stack.
 */
class UpCommandIT {
  private static final Pattern READY = Pattern.compile("edgeloop ready in ([\\d.]+) s \\(rss (\\d+) MB, cpu ([\\d.]+) s\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  @Test
  void shouldListenWhereToldSayWhereAndServeTheCliWithNoFlags() throws Exception {
    int portBase = FreePorts.block();
    int kafkaPort = FreePorts.block();
    try (StackProcess up = StackProcess.start(home, "up", "--kafka-port", String.valueOf(kafkaPort), "--port-base", String.valueOf(portBase),
        "-D", "edgeloop.deploy.local-target.enabled=false")) {
      Matcher ready = up.awaitLine(READY, Duration.ofMinutes(8));
      System.out.printf("edgeloop up: ready in %s s, rss %s MB, cpu %s s%n", ready.group(1), ready.group(2), ready.group(3));
      assertThat(up.awaitLine(Pattern.compile("^kafka\\s+(\\S+)"), Duration.ofSeconds(1)).group(1)).isEqualTo("127.0.0.1:" + kafkaPort);

      Path data = home.resolve(".edgeloop");
      JsonNode stack = JSON.readTree(data.resolve("stack.json").toFile());
      assertThat(stack.path("stackId").asText()).isEqualTo(Files.readString(data.resolve("stack.id")).strip())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(stack.path("pid").asLong()).isEqualTo(up.pid());
      assertThat(stack.path("kafka").asText()).isEqualTo("127.0.0.1:" + kafkaPort);
      assertThat(stack.path("services").path("training-service").asText()).isEqualTo("http://127.0.0.1:" + (portBase + 2));
      assertThat(stack.path("services")).hasSize(4);
      assertThat(stack.path("edgeTarget").isNull()).as("no Docker target was asked for").isTrue();
      Path token = data.resolve("admin.token");
      assertThat(Files.readString(token).strip()).matches("elt_[A-Za-z0-9_-]{43}");
      assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(data.resolve("postgres.password"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(up.lines()).anyMatch(line -> line.startsWith("admin token") && line.contains(token.toString()));

      String runId = "foreign-" + UUID.randomUUID();
      publishRunRequestedAsAnotherSystem(stack.path("kafka").asText(), runId);
      String run = awaitHttp("http://127.0.0.1:" + (portBase + 2) + "/api/runs/" + runId, token, Duration.ofSeconds(120));
      assertThat(run).contains(runId).contains("external");

      // The CLI, as a user runs it beside the stack: its own JVM, no flags, exit codes, stdout and stderr.
      StackProcess.Result show = StackProcess.run(home, "runs", "show", runId, "-o", "json");
      assertThat(show.exit()).as(show.toString()).isZero();
      assertThat(JSON.readTree(show.out()).path("run").path("trigger").asText()).isEqualTo("external");
      StackProcess.Result human = StackProcess.run(home, "runs", "show", runId);
      assertThat(human.exit()).as(human.toString()).isZero();
      assertThat(human.out()).contains("run:", runId, "experiment:", "foreign-experiment", "trigger:", "external").doesNotContain("{");
      StackProcess.Result list = StackProcess.run(home, "runs", "list");
      assertThat(list.exit()).as(list.toString()).isZero();
      assertThat(list.out()).startsWith("ID ").contains(runId, "foreign-experiment");
      StackProcess.Result unknown = StackProcess.run(home, "runs", "show", "no-such-run");
      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err()).isEqualTo("edgeloop: no run 'no-such-run'\n");
      for (String area : new String[] {"datasets", "models", "images", "deployments", "targets"}) {
        StackProcess.Result yaml = StackProcess.run(home, "-o", "yaml", area, "list");
        assertThat(yaml.exit()).as(yaml.toString()).isZero();
      }

      assertThat(up.stop(Duration.ofSeconds(90))).isZero();
      assertThat(up.lines()).anyMatch(line -> line.contains("edgeloop stopped"));
      assertThat(up.lines()).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread"));
      assertThat(data.resolve("stack.json")).as("nothing listens any more").doesNotExist();
    }
  }

  @Test
  void shouldSayThatTheDatabaseDidNotStartStopWhatStartedAndLeaveTheDataAlone() throws Exception {
    // A database folder no PostgreSQL here can run: it names a major version that does not exist.
    // The services start while the database does and wait for it: its failure must end them all.
    Path postgres = Files.createDirectories(home.resolve(".edgeloop").resolve("postgres"));
    Files.writeString(postgres.resolve("PG_VERSION"), "99\n");

    StackProcess.Result up = StackProcess.run(home, "up", "--kafka-port", "0", "--port-base", String.valueOf(FreePorts.block()),
        "-D", "edgeloop.deploy.local-target.enabled=false");

    assertThat(up.exit()).as(up.toString()).isNotZero();
    assertThat(up.out() + up.err()).as(up.toString()).contains("PostgreSQL did not start").doesNotContain("edgeloop ready");
    assertThat(postgres.resolve("PG_VERSION")).hasContent("99\n");
    assertThat(home.resolve(".edgeloop").resolve("stack.json")).doesNotExist();
  }

  /** Exactly what a system without edgeloop's code would send: ce_* headers and JSON. */
  static void publishRunRequestedAsAnotherSystem(String bootstrap, String runId) throws Exception {
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

  /** GETs {@code url} with the stack's admin token (from its file) until it answers 200. */
  static String awaitHttp(String url, Path tokenFile, Duration timeout) throws Exception {
    String token = Files.readString(tokenFile).strip();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
        last = response.statusCode() + " " + response.body();
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(url + " did not answer 200 within " + timeout + ": " + last);
  }
}
