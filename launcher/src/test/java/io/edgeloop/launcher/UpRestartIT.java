package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-command mode survives {@code kill -9}: the whole {@code edgeloop up} process is killed (its
 * PostgreSQL is left running, as an orphan), and the next {@code up} on the same data folder starts
 * at once, on the same broker port, with the broker's log, the consumer groups' offsets and the
 * database as they were: events published before the kill are read after it, a consumer group
 * resumes where it committed, and a run requested before the kill is neither lost nor run twice.
 * Slow (two starts of the whole stack).
 */
class UpRestartIT {
  private static final Pattern READY = Pattern.compile("edgeloop ready in ([\\d.]+) s");
  private static final String TOPIC = "it.restart";
  private static final String GROUP = "it-restart-group";

  @TempDir Path home;

  @Test
  void shouldStartAgainAfterKillNineAndResumeWhereItStopped() throws Exception {
    String[] up = {"up", "--kafka-port", String.valueOf(FreePorts.block()), "--port-base", String.valueOf(FreePorts.block()),
        "-D", "edgeloop.deploy.local-target.enabled=false"};
    Path data = home.resolve(".edgeloop");
    String runId = "before-kill-" + UUID.randomUUID();
    String bootstrap;
    String training;
    long orphanPid;
    try (StackProcess first = StackProcess.start(home, up)) {
      first.awaitLine(READY, Duration.ofMinutes(8));
      var stack = new ObjectMapper().readTree(data.resolve("stack.json").toFile());
      bootstrap = stack.path("kafka").asText();
      training = stack.path("services").path("training-service").asText();
      TestKafka.produce(bootstrap, TOPIC, List.of("event-0", "event-1", "event-2", "event-3", "event-4"));
      try (KafkaConsumer<String, String> consumer = TestKafka.consumer(bootstrap, GROUP, TOPIC, 2)) {
        assertThat(TestKafka.poll(consumer, 2)).containsExactly("event-0", "event-1");
        consumer.commitSync();
      }
      UpCommandIT.publishRunRequestedAsAnotherSystem(bootstrap, runId);
      UpCommandIT.awaitHttp(training + "/api/runs/" + runId, data.resolve("admin.token"), Duration.ofSeconds(120));

      orphanPid = Long.parseLong(java.nio.file.Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
      first.kill();
    }
    assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("kill -9 leaves the stack's PostgreSQL running").contains(true);
    assertThat(data.resolve("stack.json")).as("a killed stack leaves its stack.json").exists();

    try (StackProcess second = StackProcess.start(home, up)) {
      second.awaitLine(READY, Duration.ofMinutes(8));
      assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).as("the orphaned PostgreSQL was stopped").isFalse();
      assertThat(new ObjectMapper().readTree(data.resolve("stack.json").toFile()).path("kafka").asText()).isEqualTo(bootstrap);

      try (KafkaConsumer<String, String> consumer = TestKafka.consumer(bootstrap, GROUP, TOPIC, 100)) {
        assertThat(TestKafka.poll(consumer, 3)).as("the group resumes at its committed offset").containsExactly("event-2", "event-3", "event-4");
      }
      String run = UpCommandIT.awaitHttp(training + "/api/runs/" + runId, data.resolve("admin.token"), Duration.ofSeconds(60));
      assertThat(run).contains(runId);
      StackProcess.Result runs = StackProcess.run(home, "-o", "json", "runs", "list", "--experiment", "foreign-experiment");
      assertThat(runs.exit()).as(runs.toString()).isZero();
      assertThat(new ObjectMapper().readTree(runs.out())).as("the run requested before the kill, once").hasSize(1);
      assertThat(second.stop(Duration.ofSeconds(90))).isZero();
    }
  }
}
