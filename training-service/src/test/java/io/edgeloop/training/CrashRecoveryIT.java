package io.edgeloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.messaging.EdgeloopKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service is killed with SIGKILL (a separate JVM running {@link TrainingApplication#main}) while a
 * data-triggered run is running; after a restart against the same Kafka broker and PostgreSQL, the
 * processes the killed service's script left behind (its background child included) are stopped, the
 * run is executed again and the triggering data ends in exactly one completed run, one model version
 * and one ModelTrained. Slow: two service start-ups.
 */
class CrashRecoveryIT {
  @TempDir Path dataDir;
  @TempDir Path landing;
  private final List<Process> children = new ArrayList<>();
  /** The sleep time of the script's background child: a number no other process on this machine uses. */
  private final String marker = "3" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);

  @AfterEach
  void stopChildren() {
    for (Process p : children) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    ScriptSandboxIT.processesWith(marker).forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void shouldFinishAnInterruptedRunExactlyOnceAfterKillNine() throws Exception {
    Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH");
    String jdbc = TestPostgres.newDatabase("training_crash");
    String kafka = EdgeloopKafka.bootstrapServers();

    Process first = startService(jdbc, kafka, "first");
    // the first attempt's background child (its command line names the marker)
    List<ProcessHandle> orphans = new ArrayList<>();
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "crash-data", 1, 200, 11));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> query(jdbc, "select count(*) from run_log where line like 'sleeping%'") > 0);
    assertThat(query(jdbc, "select count(*) from run where status = 'running'")).isEqualTo(1);
    orphans.addAll(ScriptSandboxIT.processesWith(marker));
    assertThat(orphans).isNotEmpty();
    assertThat(query(jdbc, "select count(*) from edgeloop_auth.api_token where run_id is not null and revoked_at is null")).isEqualTo(1);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
    first.waitFor();
    assertThat(orphans).as("the script outlives its service").allMatch(ProcessHandle::isAlive);
    assertThat(query(jdbc, "select count(*) from run where status = 'running'")).isEqualTo(1);

    startService(jdbc, kafka, "second");
    // Taking the run over, the new service stops what the old one's script left on this host (before it runs the script again).
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> query(jdbc, "select count(*) from run_log where line like 'service restarted%'") > 0);
    // (a killed orphan may stay a zombie a while, without arguments: processesWith does not list it)
    await().atMost(Duration.ofSeconds(5)).until(() -> ScriptSandboxIT.processesWith(marker).stream().noneMatch(orphans::contains));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> query(jdbc, "select count(*) from run where status in ('completed', 'failed', 'canceled')") == 1);

    assertThat(query(jdbc, "select count(*) from run")).isEqualTo(1);
    assertThat(query(jdbc, "select count(*) from run where status = 'completed' and attempt = 2")).isEqualTo(1);
    assertThat(query(jdbc, "select count(*) from run where status in ('queued', 'preparing', 'running')")).isZero();
    assertThat(query(jdbc, "select count(*) from model_version where model_name = 'crash'")).isEqualTo(1);
    assertThat(query(jdbc, "select count(*) from run_log where line like 'service restarted%'")).isEqualTo(1);
    assertThat(ScriptSandboxIT.processesWith(marker)).as("nothing of either attempt is left").isEmpty();
    // the killed attempt's run token was revoked by the recovery, the second attempt's when it ended
    assertThat(query(jdbc, "select count(*) from edgeloop_auth.api_token where run_id is not null")).isEqualTo(2);
    assertThat(query(jdbc, "select count(*) from edgeloop_auth.api_token where run_id is not null and revoked_at is null")).isZero();
    assertThat(TrainingEvents.<RunRequested>readAll(EventType.RUN_REQUESTED, e -> e.experiment().equals("crash"), Duration.ofSeconds(2)))
        .hasSize(1);
    assertThat(TrainingEvents.<ModelTrained>readAll(EventType.MODEL_TRAINED, e -> e.modelName().equals("crash"), Duration.ofSeconds(3)))
        .hasSize(1);
  }

  private Process startService(String jdbc, String kafka, String name) throws Exception {
    Path log = dataDir.resolve(name + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        TrainingApplication.class.getName(),
        "--spring.datasource.url=" + jdbc, "--spring.datasource.username=postgres",
        "--edgeloop.kafka.bootstrap-servers=" + kafka, "--edgeloop.data-dir=" + dataDir, "--server.port=0",
        "--spring.config.additional-location=classpath:training-crash-it.yml",
        "--edgeloop.test.project=" + TrainingFlowIT.PROJECT, "--edgeloop.test.marker=" + marker,
        // The same instance id across the restart: the new process recovers its predecessor's run at
        // once instead of waiting for the run's lease to expire (TwoInstancesIT covers expiry).
        "--edgeloop.training.instance-id=crash-it")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    children.add(p);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " service exited early:\n" + Files.readString(log));
      }
      return Files.readString(log).contains("Started TrainingApplication");
    });
    return p;
  }

  private static long query(String jdbc, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
