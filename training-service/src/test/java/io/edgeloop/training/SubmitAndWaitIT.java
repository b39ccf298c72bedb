package io.edgeloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.test.TestTokens;
import io.edgeloop.training.dataset.DatasetCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What {@code edgeloop runs submit --wait} does, ten times in a row: submit, then read the run at
 * once and follow it to its end. The run exists (queued or later) as soon as the submit answers,
 * through either endpoint; it used to appear only after its event had gone through Kafka, so the
 * first read was a 404.
 */
@SpringBootTest(
    classes = TrainingApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=training-service", "spring.config.additional-location=classpath:training-it.yml"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuppressWarnings({"unchecked", "rawtypes"})
class SubmitAndWaitIT {
  static final Path PROJECT = Path.of("src/test/resources/projects/linear").toAbsolutePath();
  private static final Set<String> ENDED = Set.of("completed", "failed", "canceled");
  @TempDir static Path dataDir;
  @TempDir static Path landing;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("spring.datasource.url", () -> TestPostgres.newDatabase("submit_and_wait"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("edgeloop.data-dir", dataDir::toString);
    registry.add("edgeloop.test.project", PROJECT::toString);
    registry.add("edgeloop.training.dataset-wait", () -> "20s");
  }

  @Autowired TestRestTemplate http;
  @Autowired ApplicationContext context;

  /** The API needs a token: the tests call it as an admin would. */
  @BeforeEach
  void authorize() {
    TestTokens.authorize(http, TestTokens.admin(context));
  }
  @Autowired DatasetCatalog catalog;

  @BeforeAll
  static void pythonIsThere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH: script runs need it");
  }

  @Test
  void shouldFindEverySubmittedRunAtOnceAndFollowItToItsEndTenTimesInARow() throws Exception {
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "manual-data", 1, 200, 5));
    await().atMost(Duration.ofSeconds(60)).until(() -> catalog.latestVersion("manual-data").isPresent());

    for (int i = 0; i < 10; i++) {
      // Both ways in: the experiment's trigger (what the CLI calls) and POST /api/runs.
      ResponseEntity<Map> submitted = i % 2 == 0
          ? http.postForEntity("/api/experiments/manual/trigger", null, Map.class)
          : http.postForEntity("/api/runs", Map.of("experiment", "manual"), Map.class);
      assertThat(submitted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
      String runId = (String) submitted.getBody().get("runId");

      ResponseEntity<Map> first = http.getForEntity("/api/runs/" + runId, Map.class);
      assertThat(first.getStatusCode()).as("submission %d: run %s right after the submit answered", i, runId).isEqualTo(HttpStatus.OK);
      assertThat((String) ((Map<String, Object>) first.getBody().get("run")).get("status")).isIn("queued", "preparing", "running", "completed");

      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> ENDED.contains(status(runId)));
      assertThat(status(runId)).as("submission %d", i).isEqualTo("completed");
    }
    List<Map<String, Object>> runs = http.getForObject("/api/runs?experiment=manual", List.class);
    assertThat(runs).hasSize(10).allSatisfy(run -> assertThat(run.get("status")).isEqualTo("completed"));
  }

  @Test
  void shouldWaitForAVersionAnnouncedAfterTheRequestAndFailOneThatNeverLandsWithItsReason() throws Exception {
    // Submitted as soon as ingest lists the version, before training has consumed its DataLanded (an
    // experiment of its own: other tests count the runs, and the run events, of theirs).
    ResponseEntity<Map> early = http.postForEntity("/api/runs",
        Map.of("experiment", "waits-for-data", "datasets", List.of(Map.of("name", "late-data", "version", 1))), Map.class);
    ResponseEntity<Map> never = http.postForEntity("/api/runs",
        Map.of("experiment", "waits-for-data", "datasets", List.of(Map.of("name", "never-data", "version", 1))), Map.class);
    assertThat(early.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(never.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    String earlyId = (String) early.getBody().get("runId");
    String neverId = (String) never.getBody().get("runId");

    Thread.sleep(3000);
    assertThat(status(earlyId)).as("waiting for its data, not failed").isIn("queued", "preparing");
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "late-data", 1, 200, 7));

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> ENDED.contains(status(earlyId)));
    assertThat(status(earlyId)).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> ENDED.contains(status(neverId)));
    Map<String, Object> failed = (Map<String, Object>) http.getForObject("/api/runs/" + neverId, Map.class).get("run");
    assertThat(failed.get("status")).isEqualTo("failed");
    assertThat(String.valueOf(failed)).contains("unknown_dataset").contains("never-data");
  }

  private String status(String runId) {
    ResponseEntity<Map> run = http.getForEntity("/api/runs/" + runId, Map.class);
    assertThat(run.getStatusCode()).isEqualTo(HttpStatus.OK);
    return (String) ((Map<String, Object>) run.getBody().get("run")).get("status");
  }
}
