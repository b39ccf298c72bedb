package io.edgeloop.training;

import io.edgeloop.contracts.RunTrigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.training.dataset.DatasetCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two service instances (two Spring contexts in this JVM, each with its own port, Kafka consumers,
 * run executor, trigger scheduler and outbox relay) share one PostgreSQL database and one consumer
 * group: every requested run is executed exactly once, both instances execute some, a starting
 * instance does not take the runs of a live one, and an instance takes over the runs of a dead one
 * once their lease expired. Slow: two service start-ups and ten short script runs (about a minute).
 */
class TwoInstancesIT {
  private static final int RUNS = 8;
  private static final String MODEL = "two-instances";
  private static final DatasetRef DATA = new DatasetRef("two-data", 1);

  @TempDir Path dataDir;
  @TempDir Path landing;
  private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

  @AfterEach
  void stopInstances() {
    instances.forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void shouldExecuteEachRequestedRunOnceAcrossTwoInstances() throws Exception {
    Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH: script runs need it");
    String url = TestPostgres.newDatabase("training_two");
    JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(url, "postgres", ""));
    Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration/training-service").load().migrate();
    DataLanded landed = TrainingEvents.landLinearData(landing, DATA.name(), DATA.version(), 200, 5);
    new DatasetCatalog(db).record(landed);
    // Left behind by other instances: one whose owner still renews its lease, one whose owner died.
    String alive = seedRunning(db, "lease-alive", "instance-elsewhere", Instant.now().plus(Duration.ofMinutes(10)));
    String dead = seedRunning(db, "lease-dead", "instance-dead", Instant.now().minus(Duration.ofMinutes(1)));

    ConfigurableApplicationContext one = start(url, "one");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> status(db, dead).equals("completed"));
    List<String> requested = new ArrayList<>();
    for (int i = 0; i < RUNS / 2; i++) {
      requested.add(request(i));
    }
    // The second instance starts while the first executes runs: its start-up recovery must leave them alone.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> count(db, "select count(*) from run where owner = 'one' and status = 'running' and experiment like 'two-%'") > 0);
    ConfigurableApplicationContext two = start(url, "two");
    for (int i = RUNS / 2; i < RUNS; i++) {
      requested.add(request(i));
    }

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
        .until(() -> count(db, "select count(*) from run where experiment like 'two-%' and status in ('completed', 'failed', 'canceled')") == RUNS);

    assertThat(db.queryForList("select id from run where experiment like 'two-%'", String.class)).containsExactlyInAnyOrderElementsOf(requested);
    assertThat(count(db, "select count(*) from run where experiment like 'two-%' and status = 'completed' and attempt = 1")).isEqualTo(RUNS);
    // Each execution of train.py logs "read 200 rows" once: one line per run = executed once.
    assertThat(db.queryForList("select run_id from run_log where line like 'read 200 rows%' group by run_id having count(*) > 1", String.class))
        .isEmpty();
    assertThat(count(db, "select count(distinct run_id) from run_log where line like 'read 200 rows%' and run_id in (select id from run where experiment like 'two-%')"))
        .isEqualTo(RUNS);
    Map<String, Long> split = new LinkedHashMap<>();
    db.query("select owner, count(*) from run where experiment like 'two-%' group by owner order by owner",
        rs -> {
          split.put(rs.getString(1), rs.getLong(2));
        });
    double completedOne = completed(one);
    double completedTwo = completed(two);
    System.out.printf("TwoInstancesIT: %d runs executed by instance one: %d, by instance two: %d (runs{status=completed}: %.0f + %.0f)%n",
        RUNS, split.getOrDefault("one", 0L), split.getOrDefault("two", 0L), completedOne, completedTwo);
    assertThat(split.keySet()).containsExactlyInAnyOrder("one", "two"); // the work was shared
    assertThat(completedOne + completedTwo).isEqualTo(RUNS + 1.0); // + the recovered run of the dead instance
    assertThat(completedOne).isGreaterThanOrEqualTo(1);
    assertThat(completedTwo).isGreaterThanOrEqualTo(1);

    // One version per run, no number twice, and one ModelTrained each.
    assertThat(db.queryForList("select version from model_version where model_name = ? order by version", Integer.class, MODEL))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    List<ModelTrained> trained = TrainingEvents.readAll(EventType.MODEL_TRAINED, e -> e.modelName().equals(MODEL), Duration.ofSeconds(3));
    assertThat(trained).extracting(ModelTrained::modelVersion).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);

    // The dead instance's run was taken over and run again; the live owner's run was left alone by both start-ups and heartbeats.
    assertThat(count(db, "select count(*) from run where id = '" + dead + "' and attempt = 2")).isEqualTo(1);
    assertThat(count(db, "select count(*) from run_log where run_id = '" + dead + "' and line like 'service restarted%'")).isEqualTo(1);
    assertThat(status(db, alive)).isEqualTo("running");
    assertThat(db.queryForObject("select owner || ':' || attempt from run where id = ?", String.class, alive)).isEqualTo("instance-elsewhere:1");
    assertThat(count(db, "select count(*) from run_log where run_id = '" + alive + "'")).isZero();

    // Once that owner stops renewing (its lease expires), a live instance recovers the run without a restart.
    db.update("update run set lease_until = now() - interval '1 second' where id = ?", alive);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> status(db, alive).equals("completed"));
    assertThat(count(db, "select count(*) from run where id = '" + alive + "' and attempt = 2 and owner in ('one', 'two')")).isEqualTo(1);
    assertThat(count(db, "select count(*) from run where status in ('queued', 'preparing', 'running')")).isZero();
    assertThat(count(db, "select count(*) from run")).isEqualTo(RUNS + 2);
  }

  private ConfigurableApplicationContext start(String url, String instanceId) {
    ConfigurableApplicationContext context = TrainingApplication.start(
        "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
        "--edgeloop.kafka.bootstrap-servers=" + EdgeloopKafka.bootstrapServers(), "--edgeloop.data-dir=" + dataDir, "--server.port=0",
        "--spring.config.additional-location=classpath:training-two-it.yml", "--edgeloop.training.instance-id=" + instanceId,
        "--edgeloop.training.project-roots[0]=" + TrainingFlowIT.PROJECT);
    instances.add(context);
    return context;
  }

  /** RunRequested for experiment {@code two-<i>} (the partition key, so the requests spread over the partitions). */
  private static String request(int i) throws Exception {
    String runId = UUID.randomUUID().toString();
    TrainingEvents.publish(new RunRequested(runId, "two-" + i, RunTrigger.MANUAL, List.of(DATA), spec(), "local", Instant.now()));
    return runId;
  }

  private static TrainingSpec spec() {
    return new TrainingSpec("script", Map.of("project", TrainingFlowIT.PROJECT.toString(), "command", "python3 train.py --sleep 1.5",
        "dataFormat", "csv", "modelName", MODEL));
  }

  private static String seedRunning(JdbcTemplate db, String experiment, String owner, Instant leaseUntil) throws Exception {
    String id = UUID.randomUUID().toString();
    db.update("insert into run (id, experiment, trigger, status, phase, trainer_kind, compute_target, spec_json, datasets_json, seed,"
            + " attempt, owner, lease_until, requested_at, started_at) values (?, ?, 'manual', 'running', 'running', 'script', 'local', ?, ?, 42,"
            + " 1, ?, ?, now(), now())",
        id, experiment, EventCodec.objectMapper().writeValueAsString(spec()), EventCodec.objectMapper().writeValueAsString(List.of(DATA)),
        owner, Timestamp.from(leaseUntil));
    return id;
  }

  private static double completed(ConfigurableApplicationContext context) {
    Counter counter = context.getBean(MeterRegistry.class).find("edgeloop.training.runs").tag("status", "completed").counter();
    return counter == null ? 0 : counter.count();
  }

  private static String status(JdbcTemplate db, String id) {
    return db.queryForObject("select status from run where id = ?", String.class, id);
  }

  private static long count(JdbcTemplate db, String sql) {
    Long n = db.queryForObject(sql, Long.class);
    return n == null ? 0 : n;
  }
}
