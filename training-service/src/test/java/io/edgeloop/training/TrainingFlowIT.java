package io.edgeloop.training;

import io.edgeloop.contracts.TargetKind;
import io.edgeloop.contracts.DeploymentOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.test.TestTokens;
import io.edgeloop.security.token.ApiToken;
import io.edgeloop.security.token.ApiTokens;
import io.edgeloop.training.dataset.DatasetCatalog;
import io.edgeloop.training.run.Run;
import io.edgeloop.training.run.RunRepository;
import io.edgeloop.training.run.RunStatus;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole loop on a real Kafka broker and a real PostgreSQL, with script runs of
 * {@code projects/linear} on this host: data triggers (and their debounce), manual triggers, every
 * failure path with its RunFailed reason, champion/challenger promotion and the REST API.
 */
@SpringBootTest(
    classes = TrainingApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=training-service", "spring.config.additional-location=classpath:training-it.yml"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@AutoConfigureObservability(tracing = false) // tests disable metrics export otherwise: /actuator/prometheus is checked here
@SuppressWarnings({"unchecked", "rawtypes"})
class TrainingFlowIT {
  static final Path PROJECT = Path.of("src/test/resources/projects/linear").toAbsolutePath();
  @TempDir static Path dataDir;
  @TempDir static Path landing;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("spring.datasource.url", () -> TestPostgres.newDatabase("training_flow"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("edgeloop.data-dir", dataDir::toString);
    registry.add("edgeloop.test.project", PROJECT::toString);
  }

  @Autowired TestRestTemplate http;
  @Autowired RunRepository runs;
  @Autowired DatasetCatalog catalog;
  @Autowired ApiTokens tokens;
  @Autowired ApplicationContext context;
  @LocalServerPort int port;

  /** The API needs a token: the tests call it as an admin would. */
  @BeforeEach
  void authorize() {
    TestTokens.authorize(http, TestTokens.admin(context));
  }

  @BeforeAll
  static void pythonIsThere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH: script runs need it");
  }

  @Test
  void shouldTrainRegisterAndAnnounceOnceWhenDataLands() throws Exception {
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "e2e-data", 1, 200, 1));

    Run run = awaitOnlyRun("e2e", RunStatus.COMPLETED);
    assertThat(run.trigger()).isEqualTo("data");
    assertThat(run.datasets()).extracting(Object::toString).containsExactly("e2e-data@1");
    assertThat(run.codeHash()).matches("[0-9a-f]{64}");
    assertThat(run.environment()).startsWith("host:");
    assertThat(run.seed()).isEqualTo(42L);
    assertThat(run.modelVersion()).isEqualTo(1);

    assertThat(TrainingEvents.<RunRequested>readAll(EventType.RUN_REQUESTED, e -> e.experiment().equals("e2e"), Duration.ofSeconds(2)))
        .hasSize(1);
    List<ModelTrained> trained = TrainingEvents.readAll(EventType.MODEL_TRAINED, e -> e.modelName().equals("e2e"), Duration.ofSeconds(2));
    assertThat(trained).hasSize(1);
    ModelTrained event = trained.get(0);
    assertThat(event.modelVersion()).isEqualTo(1);
    assertThat(event.promoted()).isTrue();
    assertThat(event.runId()).isEqualTo(run.id());
    assertThat(event.metrics()).containsKey("rmse");
    assertThat(event.metrics().get("rmse")).isBetween(0.2, 1.0);
    assertThat(event.lineage().codeHash()).isEqualTo(run.codeHash());
    assertThat(event.signature().inputs().get(0).name()).isEqualTo("features");
    assertThat(event.signature().inputs().get(0).datatype()).isEqualTo("FP32");
    assertThat(event.signature().outputs().get(0).name()).isEqualTo("variable");
    byte[] onnx = Files.readAllBytes(Path.of(java.net.URI.create(event.onnxUri())));
    assertThat(io.edgeloop.modelpackage.ModelPackages.sha256(onnx)).isEqualTo(event.onnxSha256());

    Map<?, ?> version = http.getForObject("/api/models/e2e/versions/1", Map.class);
    assertThat(version.get("runId")).isEqualTo(run.id());
    assertThat((List<Object>) version.get("aliases")).containsExactly("champion");
    assertThat(http.getForObject("/api/runs/" + run.id() + "/logs", String.class)).contains("read 200 rows");
    List<Object> loss = http.getForObject("/api/runs/" + run.id() + "/metrics?key=loss", List.class);
    assertThat(loss).hasSize(3);
    List<Object> artifacts = http.getForObject("/api/runs/" + run.id() + "/artifacts", List.class);
    assertThat(artifacts).contains("outputs/model.onnx", "outputs/coefficients.json", "model/model.onnx", "model/edgeloop-model.json");
    assertThat(http.getForObject("/api/runs/" + run.id() + "/artifacts/outputs/model.onnx", byte[].class)).isEqualTo(onnx);

    String prometheus = http.getForObject("/actuator/prometheus", String.class);
    assertThat(prometheus).contains("edgeloop_training_runs_total{", "status=\"completed\"",
        "edgeloop_training_model_metric{", "model=\"e2e\"", "edgeloop_training_queue_length",
        "edgeloop_training_runs_active{", "edgeloop_training_run_duration_seconds_count{",
        "edgeloop_training_models_registered_total{");
    assertThat(http.getForObject("/api/openapi", String.class)).contains("/api/runs/{id}/artifacts", "/api/models/{name}/aliases/{alias}");
  }

  /** The shipped default experiment spec (training-service.yml) trains on real C-MAPSS FD001 data; prints its time. */
  @Test
  void shouldTrainTheDefaultTurbofanSpecOnCmapss() throws Exception {
    Path fd001 = Path.of(System.getProperty("edgeloop.shared.dir", "../../shared"), "data", "cmapss", "train_FD001.txt.gz");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(fd001), "C-MAPSS data not found at " + fd001.toAbsolutePath());
    TrainingEvents.publish(TrainingEvents.landTable(landing, "turbofan", 1, io.edgeloop.automl.data.TableLoader.cmapss(fd001)));
    await().atMost(Duration.ofSeconds(30)).until(() -> catalog.latestVersion("turbofan").isPresent());
    Map<String, Object> defaults;
    try (var in = TrainingFlowIT.class.getResourceAsStream("/training-service.yml")) {
      Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(in);
      Map<String, Object> training = (Map<String, Object>) ((Map<String, Object>) yaml.get("edgeloop")).get("training");
      Map<String, Object> experiment = ((List<Map<String, Object>>) training.get("experiments")).get(0);
      assertThat(experiment.get("name")).isEqualTo("turbofan-rul");
      defaults = new LinkedHashMap<>((Map<String, Object>) ((Map<String, Object>) experiment.get("spec")).get("settings"));
    }
    defaults.put("modelName", "turbofan-rul");
    ResponseEntity<Map> response = http.postForEntity("/api/experiments/manual/trigger",
        Map.of("spec", new TrainingSpec("automl", defaults), "datasets", List.of(Map.of("name", "turbofan", "version", 1))), Map.class);
    Run run = awaitEnded((String) response.getBody().get("runId"));
    assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.COMPLETED);
    Map<?, ?> version = http.getForObject("/api/models/turbofan-rul/versions/1", Map.class);
    double rmse = ((Number) ((Map<?, ?>) version.get("metrics")).get("rmse")).doubleValue();
    assertThat(rmse).isBetween(5.0, 40.0);
    System.out.printf("default turbofan-rul spec on FD001 (%s rows): run %.1f s (preparing..registered), validation rmse %.2f%n",
        http.getForObject("/api/runs/" + run.id(), Map.class).get("params") instanceof Map<?, ?> p ? p.get("rows") : "?",
        Duration.between(run.startedAt(), run.endedAt()).toMillis() / 1000.0, rmse);
  }

  @Test
  void shouldRunAScriptInDockerWithReadOnlyDataAndRegisterItsModel() throws Exception {
    TestImages.python();
    TrainingEvents.publish(TrainingEvents.landLinearData(landing, "docker-data", 1, 200, 3));

    Run run = awaitOnlyRun("docker-e2e", RunStatus.COMPLETED);
    assertThat(run.computeTarget()).isEqualTo("docker");
    assertThat(run.environment()).startsWith("docker:" + TestImages.PYTHON + "@sha256:");
    String logs = http.getForObject("/api/runs/" + run.id() + "/logs", String.class);
    assertThat(logs).contains("numpy", "available", "read 200 rows", "data folder is read-only", "wrote model.onnx");
    Map<?, ?> detail = http.getForObject("/api/runs/" + run.id(), Map.class);
    assertThat((Map<String, Object>) detail.get("metrics")).containsKeys("rmse", "loss", "train_rows");
    assertThat((Map<String, Object>) detail.get("params")).containsEntry("environment", TestImages.PYTHON);
    List<Object> artifacts = http.getForObject("/api/runs/" + run.id() + "/artifacts", List.class);
    assertThat(artifacts).contains("outputs/model.onnx", "outputs/metrics.jsonl", "model/edgeloop-model.json");
    Map<?, ?> version = http.getForObject("/api/models/docker-e2e/versions/1", Map.class);
    assertThat(version.get("runId")).isEqualTo(run.id());
    assertThat(((Map<String, Object>) version.get("metrics")).get("rmse")).isNotNull();
  }

  /**
   * The two AutoML paths: the first version comes from a search; new data refits the champion's
   * configuration (one trial, the same members and features); a search replaces the champion only
   * through the gate, which says why in one line.
   */
  @Test
  void shouldSearchFirstThenRefitOnNewDataAndReplaceTheChampionOnlyThroughTheGate() throws Exception {
    TrainingEvents.publish(TrainingEvents.landDegradationData(landing, "automl-data", 1, 12, 5));
    Run first = awaitOnlyRun("automl-e2e", RunStatus.COMPLETED);
    assertThat(first.spec().kind()).isEqualTo("automl");
    assertThat(tags(first.id())).containsEntry("path", "search").containsEntry("path.reason", "first_model")
        .containsEntry("gate", "promoted: first version");

    TrainingEvents.publish(TrainingEvents.landDegradationData(landing, "automl-data", 2, 12, 6));
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
        .until(() -> runs.list("automl-e2e", null, 10).stream().filter(r -> r.status().isTerminal()).count() == 2);
    Run second = runs.list("automl-e2e", null, 10).get(0);
    assertThat(second.status()).as(second.error()).isEqualTo(RunStatus.COMPLETED);
    assertThat(second.datasets()).extracting(Object::toString).containsExactly("automl-data@1", "automl-data@2");
    Map<String, Object> secondRun = http.getForObject("/api/runs/" + second.id(), Map.class);
    assertThat((Map<String, Object>) secondRun.get("tags")).containsEntry("path", "refit").containsEntry("path.reason", "new_data");
    assertThat((Map<String, Object>) secondRun.get("params")).containsEntry("refit.of", "v1");
    assertThat(http.getForObject("/api/runs/" + second.id() + "/logs", String.class)).contains("path: refit (new_data)", "rows");

    var v1 = manifest(first.id());
    var v2 = manifest(second.id());
    assertThat(v2.training().members()).as("a refit keeps the champion's configuration").isEqualTo(v1.training().members());
    assertThat(v2.preprocessing()).isEqualTo(v1.preprocessing());
    List<Map<String, Object>> trials = trials(second.id());
    assertThat(trials).hasSize(1);
    assertThat(trials.get(0).get("family")).isEqualTo(v1.training().members().size() == 1 ? v1.training().members().get(0).family() : "ensemble");
    assertThat(((Map<?, ?>) trials.get(0).get("metrics")).keySet()).extracting(Object::toString).contains("rmse");
    assertThat(trials(first.id())).hasSize(3); // maxTrials of the search

    List<ModelTrained> trained = TrainingEvents.readAll(EventType.MODEL_TRAINED, e -> e.modelName().equals("automl-e2e"), Duration.ofSeconds(2));
    assertThat(trained).extracting(ModelTrained::modelVersion).containsExactly(1, 2);
    assertThat(trained.get(1).lineage().datasets()).hasSize(2);
    // v2 was compared with the champion (v1) on the same service holdout, both scored through ONNX Runtime
    Map<String, Double> m = trained.get(1).metrics();
    assertThat(m).containsKeys("holdout.rmse", "holdout.units", "champion.rmse");
    assertThat(m.get("champion.version")).isEqualTo(1.0);
    assertThat(trained.get(1).promoted()).isEqualTo(m.get("holdout.rmse") < m.get("champion.rmse"));
    assertThat(trained.get(1).tags().get("gate")).startsWith(trained.get(1).promoted() ? "promoted: rmse" : "not promoted: rmse")
        .contains("vs champion v1", "held-out units");
    assertThat(trained.get(1).onnxSha256()).isEqualTo(v2.onnxSha256());
    int champion = trained.get(1).promoted() ? 2 : 1;

    // a search with a spec that can only do worse (pure noise as the one feature) goes through the same gate
    Map<String, Object> noise = new LinkedHashMap<>(first.spec().settings());
    noise.put("features", List.of("s3"));
    noise.put("timeSeries", Map.of("groupKey", "unit", "orderColumn", "cycle"));
    ResponseEntity<Map> response = http.postForEntity("/api/experiments/automl-e2e/trigger",
        Map.of("spec", new TrainingSpec("automl", noise)), Map.class);
    Run third = awaitEnded((String) response.getBody().get("runId"));
    assertThat(third.status()).as(third.error()).isEqualTo(RunStatus.COMPLETED);
    assertThat(tags(third.id())).containsEntry("path", "search").containsEntry("path.reason", "spec_changed");
    assertThat((String) tags(third.id()).get("gate")).startsWith("not promoted: rmse").contains("vs champion v" + champion);
    assertThat(trials(third.id())).hasSize(3);
    assertThat(((Map<?, ?>) http.getForObject("/api/models/automl-e2e/aliases/champion", Map.class)).get("version")).isEqualTo(champion);
  }

  private Map<String, Object> tags(String runId) {
    return (Map<String, Object>) http.getForObject("/api/runs/" + runId, Map.class).get("tags");
  }

  private List<Map<String, Object>> trials(String runId) {
    return http.exchange("/api/runs/" + runId + "/trials", HttpMethod.GET, null,
        new ParameterizedTypeReference<List<Map<String, Object>>>() {}).getBody();
  }

  private io.edgeloop.modelpackage.ModelManifest manifest(String runId) throws Exception {
    return io.edgeloop.modelpackage.ModelPackages.parseManifest(
        http.getForObject("/api/runs/" + runId + "/artifacts/model/edgeloop-model.json", byte[].class));
  }

  @Test
  void shouldDebounceFiveLandingsIntoOneRun() throws Exception {
    for (int v = 1; v <= 5; v++) {
      TrainingEvents.publish(TrainingEvents.landLinearData(landing, "debounce-data", v, 50, v));
    }
    Run run = awaitOnlyRun("debounce", RunStatus.COMPLETED);
    Thread.sleep(3000); // longer than the debounce window: a second run would have been requested by now
    assertThat(runs.list("debounce", null, 10)).hasSize(1);
    assertThat(run.datasets()).extracting(Object::toString)
        .containsExactly("debounce-data@1", "debounce-data@2", "debounce-data@3", "debounce-data@4", "debounce-data@5");
    assertThat(http.getForObject("/api/runs/" + run.id() + "/logs", String.class)).contains("read 250 rows");
    assertThat(TrainingEvents.<RunRequested>readAll(EventType.RUN_REQUESTED, e -> e.experiment().equals("debounce"), Duration.ofSeconds(2)))
        .hasSize(1);
  }

  @Test
  void shouldFailWithClearReasons() throws Exception {
    landManualData();
    Path projects = Files.createDirectories(dataDir.resolve("projects")); // a project root (training-it.yml)
    Path traversal = projects.resolve("traversal.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(traversal))) {
      zip.putNextEntry(new ZipEntry("train.py"));
      zip.write("print('hi')\n".getBytes());
      zip.putNextEntry(new ZipEntry("../evil.py"));
      zip.write("print('escaped')\n".getBytes());
    }
    Path oversized = projects.resolve("oversized");
    Files.createDirectories(oversized);
    Files.copy(PROJECT.resolve("train.py"), oversized.resolve("train.py"));
    Files.write(oversized.resolve("weights.bin"), new byte[300_000]);

    Map<String, String> runIds = new LinkedHashMap<>();
    runIds.put("unknown_column", trigger(settings("python3 train.py", "columns", List.of("x", "no_such_column"))));
    runIds.put("exit_code", trigger(settings("python3 train.py --exit-code 3")));
    // Long enough for the interpreter to start and print on a loaded machine before the run is stopped.
    runIds.put("timeout", trigger(settings("python3 train.py --hang", "timeoutSeconds", 8)));
    runIds.put("no_model", trigger(settings("python3 train.py --no-model")));
    runIds.put("unsafe_snapshot", trigger(settings("python3 train.py", "project", traversal.toString())));
    runIds.put("snapshot_too_large", trigger(settings("python3 train.py", "project", oversized.toString())));

    for (Map.Entry<String, String> e : runIds.entrySet()) {
      Run run = awaitEnded(e.getValue());
      assertThat(run.status()).as(e.getKey()).isEqualTo(RunStatus.FAILED);
      assertThat(run.failureReason()).as(run.error()).isEqualTo(e.getKey());
    }
    assertThat(runs.find(runIds.get("unknown_column")).orElseThrow().error()).contains("no_such_column");
    assertThat(runs.find(runIds.get("unknown_column")).orElseThrow().phase()).isEqualTo("preparing");
    assertThat(runs.find(runIds.get("exit_code")).orElseThrow().error()).contains("code 3").contains("something went wrong on purpose");
    assertThat(runs.find(runIds.get("timeout")).orElseThrow().error()).contains("hanging on purpose");
    assertThat(runs.find(runIds.get("no_model")).orElseThrow().phase()).isEqualTo("exporting");
    assertThat(runs.find(runIds.get("unsafe_snapshot")).orElseThrow().error()).contains("..");
    assertThat(landing.getParent().resolve("evil.py")).doesNotExist();

    List<RunFailed> failed = TrainingEvents.readAll(EventType.RUN_FAILED, f -> runIds.containsValue(f.runId()), Duration.ofSeconds(2));
    Map<String, String> reasons = new LinkedHashMap<>();
    failed.forEach(f -> reasons.put(f.runId(), f.reason().wire()));
    runIds.forEach((reason, id) -> assertThat(reasons.get(id)).as(id).isEqualTo(reason));
    runIds.values().forEach(this::assertRunTokensRevoked);
  }

  @Test
  void shouldPromoteOnlyABetterModel() throws Exception {
    landManualData();
    String first = trigger(settings("python3 train.py --perturb 0.3", "modelName", "champion-test"));
    assertThat(awaitEnded(first).status()).isEqualTo(RunStatus.COMPLETED);
    String worse = trigger(settings("python3 train.py --perturb 1.0", "modelName", "champion-test"));
    assertThat(awaitEnded(worse).status()).isEqualTo(RunStatus.COMPLETED);
    String better = trigger(settings("python3 train.py", "modelName", "champion-test"));
    assertThat(awaitEnded(better).status()).isEqualTo(RunStatus.COMPLETED);

    List<ModelTrained> trained =
        TrainingEvents.readAll(EventType.MODEL_TRAINED, e -> e.modelName().equals("champion-test"), Duration.ofSeconds(2));
    assertThat(trained).extracting(ModelTrained::modelVersion).containsExactly(1, 2, 3);
    assertThat(trained).extracting(ModelTrained::promoted).containsExactly(true, false, true);
    assertThat(trained.get(1).metrics().get("rmse")).isGreaterThan(trained.get(0).metrics().get("rmse"));
    assertThat(trained.get(2).metrics().get("rmse")).isLessThan(trained.get(0).metrics().get("rmse"));
    Map<?, ?> champion = http.getForObject("/api/models/champion-test/aliases/champion", Map.class);
    assertThat(champion.get("version")).isEqualTo(3);
    Map<?, ?> challenger = http.getForObject("/api/models/champion-test/aliases/challenger", Map.class);
    assertThat(challenger.get("version")).isEqualTo(2);

    // a version in use by a deployment cannot be deleted; an unused one can
    TrainingEvents.publish(new ModelDeployed("edge-1", TargetKind.DOCKER, "champion-test", 3, "sha256:abc", DeploymentOutcome.DEPLOYED, null, "ok", 1L, Instant.now()));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        http.exchange("/api/models/champion-test/versions/3", HttpMethod.DELETE, null, Map.class).getStatusCode() == HttpStatus.CONFLICT);
    assertThat(http.exchange("/api/models/champion-test/versions/2", HttpMethod.DELETE, null, Void.class).getStatusCode())
        .isEqualTo(HttpStatus.NO_CONTENT);
    ResponseEntity<List<Map<String, Object>>> models = http.exchange("/api/models?tag=experiment=manual", HttpMethod.GET, null,
        new ParameterizedTypeReference<>() {});
    assertThat(models.getBody()).extracting(m -> m.get("name")).contains("champion-test");
  }

  @Test
  void shouldCancelARunningRun() throws Exception {
    landManualData();
    String id = trigger(settings("python3 train.py --hang"));
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.find(id).map(r -> r.status() == RunStatus.RUNNING).orElse(false)
        && http.getForObject("/api/runs/" + id + "/logs", String.class) != null
        && http.getForObject("/api/runs/" + id + "/logs", String.class).contains("hanging"));
    http.postForObject("/api/runs/" + id + "/cancel", null, Map.class);
    Run run = awaitEnded(id);
    assertThat(run.status()).isEqualTo(RunStatus.CANCELED);
    assertRunTokensRevoked(id);
  }

  @Test
  void shouldAcceptMetricsOnlyFromTheRunsOwnToken() throws Exception {
    landManualData();
    String id = trigger(settings("python3 post_metrics.py && python3 train.py",
        "env", Map.of("TRAINING_URL", "http://127.0.0.1:" + port)));
    Run run = awaitEnded(id);
    assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.COMPLETED);
    assertThat(http.getForObject("/api/runs/" + id + "/logs", String.class)).contains("own token: 204", "no token: 401", "other run: 403");
    List<Map<String, Object>> posted = http.getForObject("/api/runs/" + id + "/metrics?key=posted", List.class);
    assertThat(posted).singleElement().satisfies(p -> assertThat(((Number) p.get("value")).doubleValue()).isEqualTo(1.5));
    // an admin cannot post in the run's name
    ResponseEntity<Map> forged = http.postForEntity("/api/runs/" + id + "/metrics", Map.of("key", "posted", "value", 99.0), Map.class);
    assertThat(forged.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(tokens.runTokens(id)).hasSize(1);
    assertRunTokensRevoked(id);
  }

  /** Every token the run's attempts were given is revoked once the run has ended (however it ended). */
  private void assertRunTokensRevoked(String runId) {
    assertThat(tokens.runTokens(runId)).extracting(ApiToken::revokedAt).doesNotContainNull();
  }

  private void landManualData() throws Exception {
    if (catalog.latestVersion("manual-data").isEmpty()) {
      TrainingEvents.publish(TrainingEvents.landLinearData(landing, "manual-data", 1, 200, 7));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> catalog.latestVersion("manual-data").isPresent());
  }

  private Map<String, Object> settings(String command, Object... extra) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("project", PROJECT.toString());
    s.put("command", command);
    s.put("dataFormat", "csv");
    for (int i = 0; i < extra.length; i += 2) {
      s.put((String) extra[i], extra[i + 1]);
    }
    return s;
  }

  private String trigger(Map<String, Object> settings) {
    ResponseEntity<Map> response =
        http.postForEntity("/api/experiments/manual/trigger", Map.of("spec", new TrainingSpec("script", settings)), Map.class);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    return (String) response.getBody().get("runId");
  }

  private Run awaitEnded(String runId) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .until(() -> runs.find(runId).map(r -> r.status().isTerminal()).orElse(false));
    return runs.find(runId).orElseThrow();
  }

  private Run awaitOnlyRun(String experiment, RunStatus status) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .until(() -> runs.list(experiment, null, 10).stream().anyMatch(r -> r.status().isTerminal()));
    List<Run> all = runs.list(experiment, null, 10);
    assertThat(all).hasSize(1);
    assertThat(all.get(0).status()).as(all.get(0).error()).isEqualTo(status);
    return all.get(0);
  }
}
