package io.edgeloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.PromotionCause;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.test.TestTokens;
import io.edgeloop.training.dataset.DatasetCatalog;
import io.edgeloop.training.registry.ModelRegistry;
import io.edgeloop.training.run.RunRepository;
import io.edgeloop.training.run.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every champion change is an event: the gate's promotion after a run, a manual promote, an alias set
 * or removed (a demote), a version deleted with its aliases each publish exactly one ModelPromoted
 * (through the outbox, on a real Kafka broker) whose sequence is the registry's alias-change row; a
 * non-promoted run, a promote that changes nothing and a rolled-back change publish none.
 */
@SpringBootTest(
    classes = TrainingApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=training-service", "spring.config.additional-location=classpath:training-it.yml"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ModelPromotionIT {
  static final String MODEL = "promotion-model";
  @TempDir static Path dataDir;
  @TempDir static Path landing;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("spring.datasource.url", () -> TestPostgres.newDatabase("training_promotion"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("edgeloop.data-dir", dataDir::toString);
    registry.add("edgeloop.test.project", TrainingFlowIT.PROJECT::toString);
  }

  @Autowired TestRestTemplate http;
  @Autowired ApplicationContext context;

  /** The API needs a token: the tests call it as an admin would. */
  @BeforeEach
  void authorize() {
    TestTokens.authorize(http, TestTokens.admin(context));
  }
  @Autowired RunRepository runs;
  @Autowired DatasetCatalog catalog;
  @Autowired ModelRegistry registry;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcTemplate jdbc;

  @BeforeAll
  static void pythonIsThere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH: script runs need it");
  }

  @Test
  void shouldAnnounceEveryChampionChangeOnce() throws Exception {
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "manual-data", 1, 200, 7));
    await().atMost(Duration.ofSeconds(60)).until(() -> catalog.latestVersion("manual-data").isPresent());

    train("python3 train.py --perturb 0.3"); // v1: the first version is the champion
    ModelPromoted first = onlyNewEvent(0);
    assertEvent(first, "champion", 1, null, AliasChange.ASSIGNED, PromotionCause.GATE);

    train("python3 train.py --perturb 1.0"); // v2: worse, a challenger; ModelTrained says so, no ModelPromoted
    assertThat(promoted()).hasSize(1);
    assertThat(http.getForObject("/api/models/" + MODEL + "/aliases/challenger", Map.class).get("version")).isEqualTo(2);

    train("python3 train.py"); // v3: better, the gate promotes it
    assertEvent(onlyNewEvent(1), "champion", 3, 1, AliasChange.ASSIGNED, PromotionCause.GATE);

    assertThat(http.postForEntity("/api/models/" + MODEL + "/versions/2/promote", null, Map.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertEvent(onlyNewEvent(2), "champion", 2, 3, AliasChange.ASSIGNED, PromotionCause.MANUAL);

    http.postForEntity("/api/models/" + MODEL + "/versions/2/promote", null, Map.class); // already the champion: no change
    assertThat(promoted()).hasSize(3);

    http.put("/api/models/" + MODEL + "/aliases/staging", Map.of("version", 1));
    assertEvent(onlyNewEvent(3), "staging", 1, null, AliasChange.ASSIGNED, PromotionCause.MANUAL);

    assertThat(http.exchange("/api/models/" + MODEL + "/aliases/staging", HttpMethod.DELETE, null, Void.class).getStatusCode())
        .isEqualTo(HttpStatus.NO_CONTENT);
    assertEvent(onlyNewEvent(4), "staging", 1, 1, AliasChange.REMOVED, PromotionCause.MANUAL);

    http.exchange("/api/models/" + MODEL + "/aliases/champion", HttpMethod.DELETE, null, Void.class); // a demote
    assertEvent(onlyNewEvent(5), "champion", 2, 2, AliasChange.REMOVED, PromotionCause.MANUAL);
    assertThat(http.getForEntity("/api/models/" + MODEL + "/aliases/champion", Map.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);

    http.put("/api/models/" + MODEL + "/aliases/old", Map.of("version", 1));
    onlyNewEvent(6);
    assertThat(http.exchange("/api/models/" + MODEL + "/versions/1", HttpMethod.DELETE, null, Void.class).getStatusCode())
        .isEqualTo(HttpStatus.NO_CONTENT);
    assertEvent(onlyNewEvent(7), "old", 1, 1, AliasChange.REMOVED, PromotionCause.MANUAL);

    // Sequences are the alias-change rows, in order; the gate's challenger change is recorded, not announced.
    List<ModelPromoted> all = promoted();
    assertThat(all).extracting(ModelPromoted::sequence).isSorted().doesNotHaveDuplicates();
    for (ModelPromoted e : all) {
      assertThat(jdbc.queryForObject("select alias || ':' || version || ':' || change || ':' || cause from model_alias_change where id = ?",
          String.class, e.sequence())).isEqualTo(e.alias() + ":" + e.modelVersion() + ":" + e.change().wire() + ":" + e.cause().wire());
    }
    assertThat(jdbc.queryForObject("select count(*) from model_alias_change where model_name = ? and alias = 'challenger' and cause = 'gate'",
        Integer.class, MODEL)).isEqualTo(1);
  }

  @Test
  void shouldPublishNothingWhenTheChangeRollsBack() throws Exception {
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "manual-data-rollback", 1, 200, 9));
    await().atMost(Duration.ofSeconds(60)).until(() -> catalog.latestVersion("manual-data-rollback").isPresent());
    ResponseEntity<Map> response = http.postForEntity("/api/experiments/manual/trigger", Map.of("spec",
        new TrainingSpec("script", settings("python3 train.py", "rollback-model")), "datasets", List.of(Map.of("name", "manual-data-rollback", "version", 1))),
        Map.class);
    String runId = (String) response.getBody().get("runId");
    await().atMost(Duration.ofSeconds(90)).until(() -> runs.find(runId).map(r -> r.status().isTerminal()).orElse(false));
    assertThat(runs.find(runId).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    Integer outboxBefore = jdbc.queryForObject("select count(*) from outbox", Integer.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> events("rollback-model").size() == 1); // the gate's promotion of v1

    tx.executeWithoutResult(status -> {
      registry.setAlias("rollback-model", "staging", 1);
      registry.deleteAlias("rollback-model", "champion");
      status.setRollbackOnly();
    });

    assertThat(jdbc.queryForObject("select count(*) from outbox", Integer.class)).isEqualTo(outboxBefore);
    assertThat(jdbc.queryForObject("select count(*) from model_alias_change where model_name = 'rollback-model'", Integer.class)).isEqualTo(1);
    assertThat(registry.alias("rollback-model", "champion")).isPresent();
    assertThat(events("rollback-model")).hasSize(1);
  }

  private void train(String command) {
    ResponseEntity<Map> response = http.postForEntity("/api/experiments/manual/trigger",
        Map.of("spec", new TrainingSpec("script", settings(command, MODEL))), Map.class);
    String runId = (String) response.getBody().get("runId");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> runs.find(runId).map(r -> r.status().isTerminal()).orElse(false));
    assertThat(runs.find(runId).orElseThrow().status()).as(runs.find(runId).orElseThrow().error()).isEqualTo(RunStatus.COMPLETED);
  }

  /** The ModelPromoted events of the model after {@code seen} earlier ones; exactly one new. */
  private ModelPromoted onlyNewEvent(int seen) {
    await().atMost(Duration.ofSeconds(30)).until(() -> promoted().size() > seen);
    List<ModelPromoted> all = promoted();
    assertThat(all).hasSize(seen + 1);
    return all.get(seen);
  }

  private List<ModelPromoted> promoted() {
    return events(MODEL);
  }

  private static List<ModelPromoted> events(String model) {
    return TrainingEvents.<ModelPromoted>readAll(EventType.MODEL_PROMOTED, e -> e.modelName().equals(model), Duration.ofSeconds(2));
  }

  private static void assertEvent(ModelPromoted e, String alias, int version, Integer previous, AliasChange change, PromotionCause cause) {
    assertThat(e.modelName()).isEqualTo(MODEL);
    assertThat(e.alias()).isEqualTo(alias);
    assertThat(e.modelVersion()).isEqualTo(version);
    assertThat(e.previousVersion()).isEqualTo(previous);
    assertThat(e.change()).isEqualTo(change);
    assertThat(e.cause()).isEqualTo(cause);
    assertThat(e.changedAt()).isNotNull();
  }

  private static Map<String, Object> settings(String command, String model) {
    return Map.of("project", TrainingFlowIT.PROJECT.toString(), "command", command, "dataFormat", "csv", "modelName", model);
  }
}
