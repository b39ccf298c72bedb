package io.edgeloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.RunTrigger;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.security.test.TestTokens;
import io.edgeloop.training.dataset.DatasetCatalog;
import io.edgeloop.training.run.Run;
import io.edgeloop.training.run.RunRepository;
import io.edgeloop.training.run.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The attacks of issue #12 on script runs, against the real service (real Kafka broker, real
 * PostgreSQL, scripts on this host): a script run requested on Kafka by another system, a script that
 * reads the service's environment, leaves children behind, links {@code outputs/} to the service's
 * {@code /proc/self/environ}, writes too much, names a host folder as its project; and a run with
 * secret values, searched for everywhere the run leaves a trace.
 */
@SpringBootTest(
    classes = TrainingApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=training-service", "spring.config.additional-location=classpath:training-sandbox-it.yml"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability(tracing = false) // /actuator/prometheus is searched for secrets too
@SuppressWarnings({"unchecked", "rawtypes"})
class ScriptSandboxIT {
  static final Path PROJECT = TrainingFlowIT.PROJECT;
  static final DatasetRef DATA = new DatasetRef("sandbox-data", 1);
  /** Set for the test JVM by the pom: a credential in the service's own environment. */
  static final String SERVICE_CREDENTIAL = System.getenv("EDGELOOP_TEST_SERVICE_CREDENTIAL");
  /** A secret in the service's configuration (edgeloop.training.secrets.warehouse-password). */
  static final String CONFIGURED_SECRET = "warehouse-" + UUID.randomUUID();
  @TempDir static Path dataDir;
  @TempDir static Path landing;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("spring.datasource.url", () -> TestPostgres.newDatabase("training_sandbox"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("edgeloop.data-dir", dataDir::toString);
    registry.add("edgeloop.test.project", PROJECT::toString);
    registry.add("edgeloop.training.secrets.warehouse-password", () -> CONFIGURED_SECRET);
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
  @Autowired JdbcTemplate jdbc;
  @Autowired EventPublisher publisher;

  @BeforeAll
  static void pythonIsThere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH: script runs need it");
    assertThat(SERVICE_CREDENTIAL).as("the pom sets EDGELOOP_TEST_SERVICE_CREDENTIAL for the test JVM").isNotBlank();
  }

  @BeforeEach
  void dataHasLanded() throws Exception {
    if (catalog.latestVersion(DATA.name()).isEmpty()) {
      TrainingEvents.publish(TrainingEvents.landLinearData(landing, DATA.name(), DATA.version(), 200, 3));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> catalog.latestVersion(DATA.name()).isPresent());
  }

  @Test
  void shouldRefuseAScriptRunThatAnotherSystemRequestsEvenWithTheServicesOwnSource() throws Exception {
    Path marker = dataDir.resolve("ran-" + UUID.randomUUID());
    TrainingSpec script = new TrainingSpec("script", settings("touch " + marker + " && python3 train.py"));
    String runId = UUID.randomUUID().toString();

    // ce_source says training-service: any Kafka producer can write that.
    TrainingEvents.publish(new RunRequested(runId, "closed", RunTrigger.MANUAL, List.of(DATA), script, "local", Instant.now()), publisher.source());

    Run refused = awaitEnded(runId);
    assertThat(refused.status()).isEqualTo(RunStatus.FAILED);
    assertThat(refused.failureReason()).isEqualTo("script_not_allowed");
    assertThat(refused.phase()).isEqualTo("queued");
    assertThat(refused.attempt()).as("never claimed").isZero();
    assertThat(jdbc.queryForObject("select count(*) from run_log where run_id = ?", Integer.class, runId)).isZero();
    assertThat(TrainingEvents.<RunFailed>readAll(EventType.RUN_FAILED, f -> f.runId().equals(runId), Duration.ofSeconds(2)))
        .singleElement().satisfies(f -> assertThat(f.reason().wire()).isEqualTo("script_not_allowed"));
    Thread.sleep(1000);
    assertThat(marker).as("nothing of the request ran").doesNotExist();

    // The same spec through this service's API runs.
    ResponseEntity<Map> submitted = http.postForEntity("/api/runs", Map.of("experiment", "closed", "spec", script), Map.class);
    assertThat(submitted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    Run trusted = awaitEnded((String) submitted.getBody().get("runId"));
    assertThat(trusted.status()).as(trusted.error()).isEqualTo(RunStatus.COMPLETED);
    assertThat(marker).exists();
  }

  @Test
  void shouldAcceptScriptsFromOtherSystemsWhereTheExperimentAllowsThemAndAutoMlEverywhere() throws Exception {
    String script = UUID.randomUUID().toString();
    TrainingEvents.publish(new RunRequested(script, "open", RunTrigger.EXTERNAL, List.of(DATA),
        new TrainingSpec("script", settings("python3 train.py", "modelName", "open-external")), "local", Instant.now()));
    Map<String, Object> automl = new LinkedHashMap<>(Map.of("name", "ext-automl", "task", "regression", "target", "y", "families", List.of("linear"),
        "maxTrials", 2, "timeBudgetSeconds", 5, "holdoutFraction", 0, "modelName", "closed-automl"));
    String auto = UUID.randomUUID().toString();
    TrainingEvents.publish(new RunRequested(auto, "closed", RunTrigger.EXTERNAL, List.of(DATA), new TrainingSpec("automl", automl), "local", Instant.now()));

    assertThat(awaitEnded(script).status()).as(runs.find(script).orElseThrow().error()).isEqualTo(RunStatus.COMPLETED);
    assertThat(awaitEnded(auto).status()).as(runs.find(auto).orElseThrow().error()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void shouldKeepTheServicesEnvironmentOutOfAScript() {
    Run run = awaitEnded(submit(settings("env && python3 train.py")));

    assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.COMPLETED);
    String logs = http.getForObject("/api/runs/" + run.id() + "/logs", String.class);
    assertThat(logs).contains("EDGELOOP_RUN_ID=" + run.id(), "PATH=").doesNotContain(SERVICE_CREDENTIAL, "EDGELOOP_TEST_SERVICE_CREDENTIAL");
  }

  @Test
  void shouldLeaveNoProcessOfACanceledRun() {
    String marker = "3" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
    String id = submit(settings("sleep " + marker + " & python3 train.py --hang"));
    await().atMost(Duration.ofSeconds(60)).until(() -> String.valueOf(http.getForObject("/api/runs/" + id + "/logs", String.class)).contains("hanging"));
    assertThat(processesWith(marker)).isNotEmpty();

    http.postForObject("/api/runs/" + id + "/cancel", null, Map.class);

    assertThat(awaitEnded(id).status()).isEqualTo(RunStatus.CANCELED);
    assertThat(processesWith(marker)).isEmpty();
  }

  @Test
  void shouldFailARunWhoseOutputsLinkToTheServicesEnvironment() throws Exception {
    Run run = awaitEnded(submit(settings("python3 train.py && ln -s /proc/self/environ outputs/x")));

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.failureReason()).isEqualTo("unsafe_output");
    assertThat(run.error()).contains("outputs/x is a symbolic link");
    List<String> artifacts = http.getForObject("/api/runs/" + run.id() + "/artifacts", List.class);
    assertThat(artifacts).as("nothing of the outputs was kept").isEmpty();
    for (String artifact : artifacts) {
      assertThat(new String(http.getForObject("/api/runs/" + run.id() + "/artifacts/" + artifact, byte[].class), StandardCharsets.UTF_8))
          .doesNotContain(SERVICE_CREDENTIAL);
    }
    assertThat(jdbc.queryForObject("select count(*) from model_version where run_id = ?", Integer.class, run.id())).isZero();
  }

  @Test
  void shouldFailARunWhoseOutputsPassTheLimit() {
    Run run = awaitEnded(submit(settings("python3 train.py && head -c 200000 /dev/zero > outputs/big.bin")));

    assertThat(run.failureReason()).as(run.error()).isEqualTo("output_too_large");
    assertThat(http.getForObject("/api/runs/" + run.id() + "/artifacts", List.class)).isEmpty();
  }

  @Test
  void shouldRefuseProjectFoldersOutsideTheConfiguredRoots() throws Exception {
    Path link = Files.createDirectories(dataDir.resolve("projects")).resolve("etc-" + UUID.randomUUID());
    Files.createSymbolicLink(link, Path.of("/etc"));

    Run hostFolder = awaitEnded(submit(settings("ls", "project", "/etc")));
    Run linked = awaitEnded(submit(settings("ls", "project", link.toString())));

    assertThat(hostFolder.failureReason()).isEqualTo("project_not_allowed");
    assertThat(hostFolder.phase()).isEqualTo("preparing");
    assertThat(linked.failureReason()).isEqualTo("project_not_allowed");
  }

  @Test
  void shouldKeepSecretValuesOutOfEverythingTheRunLeaves(CapturedOutput output) throws Exception {
    String inline = "inline-" + UUID.randomUUID();
    Map<String, Object> s = settings("python3 train.py && echo \"password is $DB_PASSWORD and $WAREHOUSE\" 1>&2"
        + " && printf %s \"$DB_PASSWORD\" | sha256sum && printf %s \"$WAREHOUSE\" | sha256sum", "modelName", "secret-model");
    s.put("env", List.of(Map.of("name", "DB_PASSWORD", "secret", true, "value", inline),
        Map.of("name", "WAREHOUSE", "secretRef", "warehouse-password"), Map.of("name", "PLAIN_SETTING", "value", "plain-" + inline.length())));

    Run run = awaitEnded(submit(s));

    assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.COMPLETED);
    String logs = http.getForObject("/api/runs/" + run.id() + "/logs", String.class);
    // The script got both values (their hashes), and its log shows them masked.
    assertThat(logs).contains(sha256(inline), sha256(CONFIGURED_SECRET), "password is *** and ***");
    List<String> secrets = List.of(inline, CONFIGURED_SECRET);

    List<String> places = new ArrayList<>();
    places.add("run " + http.getForObject("/api/runs/" + run.id(), String.class));
    places.add("logs " + logs);
    places.add("metrics " + http.getForObject("/api/runs/" + run.id() + "/metrics", String.class));
    places.add("model " + http.getForObject("/api/models/secret-model", String.class));
    for (String file : List.of(ModelPackages.MANIFEST_FILE, ModelPackages.ONNX_FILE)) {
      places.add(file + " " + new String(http.getForObject("/api/runs/" + run.id() + "/artifacts/model/" + file, byte[].class), StandardCharsets.ISO_8859_1));
    }
    places.addAll(TrainingEvents.readRaw(List.of(EventType.RUN_REQUESTED.topic(), EventType.RUN_FAILED.topic(), EventType.MODEL_TRAINED.topic(),
        EventType.MODEL_PROMOTED.topic()), Duration.ofSeconds(3)));
    places.add("prometheus " + http.getForObject("/actuator/prometheus", String.class));
    places.add("service output " + output.getAll());
    assertThat(places).noneMatch(p -> secrets.stream().anyMatch(p::contains));
    // The searches are not blind: the run's id and its plain variable are where a secret would be.
    assertThat(places.get(0)).contains("plain-" + inline.length(), "warehouse-password", "redacted");
    assertThat(places.get(4)).as("the package's provenance").startsWith(ModelPackages.MANIFEST_FILE).contains("warehouse-password", "redacted");
    assertThat(places).anyMatch(p -> p.startsWith(EventType.RUN_REQUESTED.topic()) && p.contains(run.id()) && p.contains("redacted"));
    assertThat(places).anyMatch(p -> p.startsWith("prometheus") && p.contains("model=\"secret-model\""));

    for (String secret : secrets) {
      assertThat(rowsHolding(secret)).as("database rows holding a secret").isEmpty();
    }
    assertThat(rowsHolding(run.id())).as("the row search finds what is there").contains("run.id");
    assertThat(rowsHolding("plain-" + inline.length())).contains("run.spec_json", "outbox.payload");
    assertThat(jdbc.queryForObject("select count(*) from run_secret where run_id = ?", Integer.class, run.id())).as("sealed values go with the run").isZero();
  }

  @Test
  void shouldRefuseSecretValuesInARequestFromAnotherSystem() throws Exception {
    String inline = "leaked-" + UUID.randomUUID();
    Map<String, Object> s = settings("python3 train.py");
    s.put("env", List.of(Map.of("name", "DB_PASSWORD", "secret", true, "value", inline)));
    String runId = UUID.randomUUID().toString();

    TrainingEvents.publish(new RunRequested(runId, "open", RunTrigger.EXTERNAL, List.of(DATA), new TrainingSpec("script", s), "local", Instant.now()));

    Run run = awaitEnded(runId);
    assertThat(run.failureReason()).isEqualTo("invalid_spec");
    assertThat(run.error()).contains("secretRef");
    assertThat(rowsHolding(inline)).isEmpty();
  }

  /** Columns ({@code table.column}) of every table of the service's schema holding {@code text}, whatever their type. */
  private List<String> rowsHolding(String text) {
    List<String> found = new ArrayList<>();
    for (Map<String, Object> column : jdbc.queryForList("select table_name, column_name, data_type from information_schema.columns"
        + " where table_schema = current_schema() and data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea')")) {
      String table = (String) column.get("table_name");
      String name = (String) column.get("column_name");
      String condition = column.get("data_type").equals("bytea") ? "position(convert_to(?, 'UTF8') in \"" + name + "\") > 0"
          : "position(? in \"" + name + "\"::text) > 0";
      Integer n = jdbc.queryForObject("select count(*) from \"" + table + "\" where " + condition, Integer.class, text);
      if (n != null && n > 0) {
        found.add(table + "." + name);
      }
    }
    return found;
  }

  private String submit(Map<String, Object> settings) {
    ResponseEntity<Map> response =
        http.postForEntity("/api/runs", Map.of("experiment", "closed", "spec", new TrainingSpec("script", settings)), Map.class);
    assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(HttpStatus.ACCEPTED);
    return (String) response.getBody().get("runId");
  }

  private static Map<String, Object> settings(String command, Object... extra) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("project", PROJECT.toString());
    s.put("command", command);
    s.put("dataFormat", "csv");
    for (int i = 0; i < extra.length; i += 2) {
      s.put((String) extra[i], extra[i + 1]);
    }
    return s;
  }

  private Run awaitEnded(String runId) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> runs.find(runId).map(r -> r.status().isTerminal()).orElse(false));
    return runs.find(runId).orElseThrow();
  }

  static List<ProcessHandle> processesWith(String argument) {
    return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(argument)).orElse(false)).toList();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
