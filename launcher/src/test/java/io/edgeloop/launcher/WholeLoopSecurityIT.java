package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.launcher.demo.DemoData;
import io.edgeloop.launcher.edge.EdgeEnvironment;
import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12 against the whole loop, on one stack as {@code ./edgeloop up} runs it (in this JVM: real
 * Kafka, one real PostgreSQL, images built, signed and pushed to the registry at 127.0.0.1:5000, served
 * by a container on the local Docker engine). First the secret-leak test: a script run with a secret
 * given inline and one by reference, an AutoML run whose model is packaged (with registry
 * credentials) and deployed, then every Kafka record, every file in the data folder, every service's
 * {@code /actuator/prometheus} and the model server's {@code /metrics}, every row of every schema and
 * every blob of every image pushed is searched for those values, the registry password, the database
 * password and the admin token. Then the attacks of the issue that need the whole stack to show what
 * they used to do: a script run or a rollback asked for without a token, and a 300 MB one-line file
 * that used to stop every service's health endpoint in one-command mode.
 *
 * <p>Needs a Docker engine, a registry (or Debian's docker-registry), python3 and a JDK with jlink;
 * skips, saying which, without them. Slow: about five minutes here, most of it the AutoML run and the
 * image build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeLoopSecurityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The script project of training's own tests: fits a line and writes an ONNX model by hand, in pure Python. */
  private static final Path LINEAR_PROJECT = Path.of("..", "training-service", "src", "test", "resources", "projects", "linear");
  private static final String MODEL = "turbofan-rul";
  private static final String SCRIPT_MODEL = "leak-script";
  private static final String REGISTRY_USER = "edgeloop-leak-it";

  private final String inlineSecret = "inline-" + UUID.randomUUID();
  private final String configuredSecret = "configured-" + UUID.randomUUID();
  private final String registryPassword = "registry-" + UUID.randomUUID();
  private final String plainValue = "plain-" + UUID.randomUUID();
  private final String target = "it-security-" + Long.toHexString(System.nanoTime());
  private Path dataDir;
  private EdgeEnvironment edge;
  private Stack stack;
  private int edgePort;
  private String admin;

  @BeforeAll
  void startTheStack() throws Exception {
    assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH: the script run needs it");
    assumeTrue(Files.isRegularFile(LINEAR_PROJECT.resolve("train.py")), "training-service's test project is not at " + LINEAR_PROJECT.toAbsolutePath());
    dataDir = Files.createTempDirectory("edgeloop-security-it");
    edge = EdgeEnvironment.detect(dataDir);
    assumeTrue(edge.docker() && edge.buildsImages(), "the whole loop needs a Docker engine, a registry and jlink: " + edge.notes());
    edgePort = FreePorts.block();
    Map<String, String> properties = new LinkedHashMap<>(edge.serviceProperties(edgePort));
    Path share = Files.createDirectories(dataDir.resolve("shares").resolve("turbofan"));
    properties.putAll(Map.of(
        "edgeloop.ingest.shares[0].name", "turbofan",
        "edgeloop.ingest.shares[0].path", share.toString(),
        "edgeloop.ingest.shares[0].dataset", "turbofan",
        "edgeloop.ingest.shares[0].format.preset", "cmapss",
        "edgeloop.ingest.shares[0].settle-time", "1s",
        "edgeloop.ingest.shares[0].poll-interval", "500ms"));
    // A target and repositories of its own: the engine and the registry are shared with other stacks.
    properties.put("edgeloop.deploy.local-target.name", target);
    properties.put("edgeloop.packaging.repository-prefix", target);
    // The secrets: one in training's configuration (referenced by name from the run), the registry's
    // password given to packaging and to deploy's signature reader (the local registry takes any).
    properties.put("edgeloop.training.secrets.leak-ref", configuredSecret);
    properties.put("edgeloop.packaging.username", REGISTRY_USER);
    properties.put("edgeloop.packaging.password", registryPassword);
    properties.put("edgeloop.deploy.trust.registry-credentials[0].registry", EdgeEnvironment.DEFAULT_REGISTRY);
    properties.put("edgeloop.deploy.trust.registry-credentials[0].username", REGISTRY_USER);
    properties.put("edgeloop.deploy.trust.registry-credentials[0].password", registryPassword);
    Path project = Files.createDirectories(dataDir.resolve("projects").resolve("linear"));
    Files.copy(LINEAR_PROJECT.resolve("train.py"), project.resolve("train.py"));

    stack = Stack.start(new StackSettings(null, 0, dataDir, FreePorts.block(), "WARN", properties), System.out);
    stack.awaitHealthy(Duration.ofMinutes(4));
    admin = Files.readString(stack.tokenFile()).strip();
  }

  @AfterAll
  void stopTheStack() throws Exception {
    String stackId = stack == null ? null : stack.stackId();
    if (stack != null) {
      stack.close();
    }
    if (edge != null) {
      edge.close();
    }
    if (stackId != null) {
      // A container the stack deployed outlives it (as after `edgeloop demo`): this test's go with it.
      Process containers = new ProcessBuilder("sh", "-c", "docker ps -aq --filter label=io.edgeloop.stack=" + stackId + " | xargs -r docker rm -f")
          .redirectErrorStream(true).start();
      System.out.println("removed this stack's containers: " + new String(containers.getInputStream().readAllBytes()).strip());
      containers.waitFor();
    }
    if (dataDir != null) {
      try (Stream<Path> walk = Files.walk(dataDir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void shouldLeaveNoSecretInTopicsLogsMetricsRowsOrImagesAfterTheWholeLoop() throws Exception {
    String scientist = createToken("leak-it-scientist", "scientist");
    Path share = dataDir.resolve("shares").resolve("turbofan");
    for (DemoData.DemoFile file : DemoData.simulated(11, 24, 1).firstBatch()) {
      Path tmp = share.resolve("." + file.name() + ".tmp");
      Files.write(tmp, (String.join("\n", file.lines()) + "\n").getBytes(StandardCharsets.US_ASCII));
      Files.move(tmp, share.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
    }
    // The landing triggers the AutoML run; once training knows the dataset, the script run is asked for.
    String automlRun = awaitValue(Duration.ofMinutes(3), "an AutoML run of the landed data",
        () -> stream(get("training-service", "/api/runs", scientist)).filter(r -> r.path("trainer").asText().equals("automl"))
            .map(r -> r.path("id").asText()).findFirst().orElse(null));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("project", dataDir.resolve("projects").resolve("linear").toString());
    settings.put("command", "python3 train.py --x cycle --y sensor_11 && echo \"password is $LEAK_INLINE and $LEAK_REF\" 1>&2");
    settings.put("dataFormat", "csv");
    settings.put("modelName", SCRIPT_MODEL);
    settings.put("env", List.of(Map.of("name", "LEAK_INLINE", "secret", true, "value", inlineSecret),
        Map.of("name", "LEAK_REF", "secretRef", "leak-ref"), Map.of("name", "LEAK_PLAIN", "value", plainValue)));
    HttpResponse<String> submitted = send("POST", "training-service", "/api/runs", scientist,
        JSON.writeValueAsString(Map.of("experiment", MODEL, "spec", Map.of("kind", "script", "settings", settings))));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String scriptRun = JSON.readTree(submitted.body()).path("runId").asText();

    JsonNode script = awaitRun(scriptRun, scientist);
    assertThat(script.path("run").path("status").asText()).as(script.toString()).isEqualTo("completed");
    assertThat(get("training-service", "/api/runs/" + scriptRun + "/logs", scientist).toString()).contains("password is *** and ***");
    JsonNode automl = awaitRun(automlRun, scientist);
    assertThat(automl.path("run").path("status").asText()).as(automl.toString()).isEqualTo("completed");
    // Both models become images; the AutoML model's is rolled out to the edge and serves.
    awaitValue(Duration.ofMinutes(10), "the AutoML model deployed", () -> stream(get("deploy-service", "/api/deployments", scientist))
        .filter(d -> d.path("modelName").asText().equals(MODEL) && d.path("status").asText().equals("deployed")).findFirst().orElse(null));
    awaitValue(Duration.ofMinutes(5), "both images pushed", () -> {
      List<JsonNode> images = stream(get("packaging-service", "/api/images", scientist)).toList();
      images.forEach(i -> assertThat(i.path("status").asText()).as(i.toString()).isNotEqualToIgnoringCase("failed"));
      return images.stream().filter(i -> i.path("status").asText().equalsIgnoreCase("pushed")).count() >= 2 ? images : null;
    });
    assertThat(status("http://127.0.0.1:" + edgePort + "/v2/health/ready", null)).isEqualTo(200);

    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the inline settings.env secret", inlineSecret);
    secrets.put("the secretRef secret", configuredSecret);
    secrets.put("the registry password", registryPassword);
    secrets.put("the registry credentials as HTTP basic auth",
        Base64.getEncoder().encodeToString((REGISTRY_USER + ":" + registryPassword).getBytes(StandardCharsets.UTF_8)));
    secrets.put("the PostgreSQL password", Files.readString(dataDir.resolve("postgres.password")).strip());
    secrets.put("the admin token", admin);
    secrets.put("the scientist's token", scientist);
    assertThat(secrets.values()).allMatch(v -> v.length() >= 16, "secrets long enough not to be found by chance");
    // A bytea column reads as hex in a row's text.
    new LinkedHashMap<>(secrets).forEach((name, value) ->
        secrets.put(name + " (hex)", java.util.HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8))));
    LeakSearch search = new LeakSearch(secrets, Map.of("run id", scriptRun, "plain value", plainValue, "secret name", "leak-ref",
        "model", SCRIPT_MODEL, "model file", "model.onnx"));

    searchKafka(search);
    searchFiles(search, Stream.of(dataDir.resolve("admin.token"), dataDir.resolve("postgres.password")).toList());
    searchMetrics(search);
    searchDatabase(search);
    searchRegistry(search);

    System.out.printf("whole-loop secret search: %s places searched, %d secrets%n", search.searched(), secrets.size());
    assertThat(search.leaks()).as("secrets found").isEmpty();
    // The search is not blind: what is known to be in each kind of place was found there.
    assertThat(search.placesOf("run id")).as("run id").anyMatch(p -> p.startsWith("kafka edgeloop.run-requested"))
        .anyMatch(p -> p.startsWith("file logs/")).anyMatch(p -> p.startsWith("row training."));
    assertThat(search.placesOf("plain value")).as("plain value").anyMatch(p -> p.startsWith("kafka edgeloop.run-requested"))
        .anyMatch(p -> p.startsWith("row training.")).anyMatch(p -> p.startsWith("image "));
    assertThat(search.placesOf("secret name")).as("where the secret would be: its reference in the provenance")
        .anyMatch(p -> p.startsWith("image ")).anyMatch(p -> p.startsWith("kafka "));
    assertThat(search.placesOf("model")).as("model").anyMatch(p -> p.startsWith("metrics "));
    assertThat(search.placesOf("model file")).as("inside the layers").anyMatch(p -> p.startsWith("image ") && p.contains("!"));
  }

  /** Every record (key, value, headers) of every topic on the stack's broker, all partitions, from the start. */
  private void searchKafka(LeakSearch search) throws Exception {
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    List<TopicPartition> partitions = new ArrayList<>();
    try (Admin kafka = Admin.create(config)) {
      var topics = kafka.listTopics().names().get();
      kafka.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
          description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
    }
    Map<String, Object> reading = new LinkedHashMap<>(config);
    reading.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(reading, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("all records read within a minute").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder text = new StringBuilder();
          text.append(record.key() == null ? "" : new String(record.key(), StandardCharsets.ISO_8859_1)).append('\n');
          for (Header header : record.headers()) {
            text.append(header.key()).append('=').append(header.value() == null ? "" : new String(header.value(), StandardCharsets.ISO_8859_1)).append('\n');
          }
          String place = "kafka " + record.topic() + "/" + record.partition() + "@" + record.offset();
          search.search(place, text.toString().getBytes(StandardCharsets.ISO_8859_1));
          search.search(place, record.value() == null ? new byte[0] : record.value());
        }
      }
    }
  }

  /**
   * Every file in the data folder but the two whose job is to hold a secret: the log, the broker's
   * log segments, the database's files, the blob store (datasets, model packages), run folders,
   * packaging's caches (layers), the registry's storage when the stack started one.
   */
  private void searchFiles(LeakSearch search, List<Path> homesOfSecrets) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      files = walk.filter(Files::isRegularFile).filter(f -> !homesOfSecrets.contains(f)).toList();
    }
    for (Path file : files) {
      try {
        search.search("file " + dataDir.relativize(file), Files.readAllBytes(file));
      } catch (java.nio.file.NoSuchFileException gone) {
        // removed while the walk went on (a temporary file): nothing left to search
      }
    }
  }

  private void searchMetrics(LeakSearch search) throws Exception {
    for (String service : stack.ports().keySet()) {
      HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/actuator/prometheus"))
          .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).as(service).isEqualTo(200);
      search.search("metrics " + service, scrape.body());
    }
    HttpResponse<String> server = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(server.statusCode()).isEqualTo(200);
    search.search("metrics model-server", server.body());
  }

  /** Every column of every row of every table in every schema of the stack's database, as text. */
  private void searchDatabase(LeakSearch search) throws IOException {
    JdbcTemplate jdbc = new JdbcTemplate(stack.service("training-service").getBean(DataSource.class));
    List<Map<String, Object>> tables = jdbc.queryForList("select table_schema, table_name from information_schema.tables"
        + " where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_toast%'");
    assertThat(tables).as("tables").hasSizeGreaterThan(10);
    for (Map<String, Object> table : tables) {
      String name = "\"" + table.get("table_schema") + "\".\"" + table.get("table_name") + "\"";
      for (Map<String, Object> row : jdbc.queryForList("select t::text as row from " + name + " t")) {
        search.search("row " + table.get("table_schema") + "." + table.get("table_name"), (String) row.get("row"));
      }
    }
  }

  /** Every manifest, config and layer blob of every image under this test's repositories (signatures included). */
  private void searchRegistry(LeakSearch search) throws Exception {
    String registry = "http://" + EdgeEnvironment.DEFAULT_REGISTRY + "/v2/";
    List<String> repositories = new ArrayList<>();
    // The catalog comes in pages (the registry caps n at 1000), each naming the next in its Link header.
    for (String page = registry + "_catalog?n=1000"; page != null; ) {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(page).isEqualTo(200);
      JSON.readTree(answer.body()).path("repositories").forEach(r -> {
        if (r.asText().startsWith(target + "/")) {
          repositories.add(r.asText());
        }
      });
      page = answer.headers().firstValue("Link").map(link -> registry + link.substring(link.indexOf("/v2/") + 4, link.indexOf('>'))).orElse(null);
    }
    assertThat(repositories).as("repositories of this stack").hasSizeGreaterThanOrEqualTo(2);
    for (String repository : repositories) {
      for (JsonNode tag : JSON.readTree(fetch(registry + repository + "/tags/list")).path("tags")) {
        searchManifest(search, registry + repository, tag.asText(), repository + ":" + tag.asText());
      }
    }
  }

  private void searchManifest(LeakSearch search, String repository, String reference, String place) throws Exception {
    byte[] manifest = fetchBytes(repository + "/manifests/" + reference, "application/vnd.oci.image.index.v1+json, "
        + "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, "
        + "application/vnd.docker.distribution.manifest.list.v2+json");
    search.search("image " + place + " manifest", manifest);
    JsonNode node = JSON.readTree(manifest);
    for (JsonNode child : node.path("manifests")) {
      searchManifest(search, repository, child.path("digest").asText(), place + "@" + child.path("digest").asText());
    }
    List<JsonNode> blobs = new ArrayList<>();
    if (node.has("config")) {
      blobs.add(node.path("config"));
    }
    node.path("layers").forEach(blobs::add);
    for (JsonNode blob : blobs) {
      String digest = blob.path("digest").asText();
      search.search("image " + place + " blob " + digest, fetchBytes(repository + "/blobs/" + digest, "*/*"));
    }
  }

  private static String fetch(String url) throws IOException, InterruptedException {
    return new String(fetchBytes(url, "application/json"), StandardCharsets.UTF_8);
  }

  private static byte[] fetchBytes(String url, String accept) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
        .send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  // ---- the attacks of issue 12 that need the whole stack

  /**
   * The first attack: {@code POST /api/runs} with a script, without credentials, ran any command
   * on the training host. Now 401 without a token and 403 with a viewer's, and nothing runs.
   */
  @Test
  @Order(2)
  void shouldRunNothingOfAScriptRunAskedForWithoutTheRole() throws Exception {
    Path marker = dataDir.resolve("attacker-was-here-" + UUID.randomUUID());
    String body = JSON.writeValueAsString(Map.of("experiment", MODEL, "spec", Map.of("kind", "script",
        "settings", Map.of("project", dataDir.resolve("projects").resolve("linear").toString(), "command", "touch " + marker))));
    String viewer = createToken("attack-viewer", "viewer");
    List<String> before = stream(get("training-service", "/api/runs", admin)).map(r -> r.path("id").asText()).toList();

    HttpResponse<String> anonymous = send("POST", "training-service", "/api/runs", null, body);
    HttpResponse<String> viewed = send("POST", "training-service", "/api/runs", viewer, body);

    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(viewed.statusCode()).as(viewed.body()).isEqualTo(403);
    Thread.sleep(3000); // what would have run, would have run by now (runs start within a poll interval)
    assertThat(marker).doesNotExist();
    assertThat(stream(get("training-service", "/api/runs", admin)).map(r -> r.path("id").asText()).toList()).isEqualTo(before);
  }

  /**
   * {@code approve} and {@code rollback} needed no credentials, so the approval gate protected
   * nothing. Now 401 without a token, 403 with a scientist's, and the target keeps what it runs.
   */
  @Test
  @Order(3)
  void shouldRefuseApprovalAndRollbackWithoutTheOperatorRole() throws Exception {
    String scientist = createToken("attack-scientist", "scientist");
    JsonNode running = get("deploy-service", "/api/targets/" + target, admin).path("running");
    List<JsonNode> deployments = stream(get("deploy-service", "/api/deployments", admin)).toList();
    assertThat(deployments).as("the loop deployed").isNotEmpty();
    String rollback = "{\"version\":" + running.path("version").asInt() + "}";
    String approve = "/api/deployments/" + deployments.get(0).path("id").asText() + "/approve";

    assertThat(send("POST", "deploy-service", "/api/targets/" + target + "/rollback", null, rollback).statusCode()).isEqualTo(401);
    assertThat(send("POST", "deploy-service", approve, null, "{}").statusCode()).isEqualTo(401);
    assertThat(send("POST", "deploy-service", "/api/targets/" + target + "/rollback", scientist, rollback).statusCode()).isEqualTo(403);
    assertThat(send("POST", "deploy-service", approve, scientist, "{}").statusCode()).isEqualTo(403);

    assertThat(stream(get("deploy-service", "/api/deployments", admin)).toList()).isEqualTo(deployments);
    assertThat(get("deploy-service", "/api/targets/" + target, admin).path("running")).isEqualTo(running);
  }

  /**
   * A 300 MB file of one line stopped all four services' health endpoints and the edge model's
   * inference port for 8.5 minutes in one-command mode (one JVM hosts them all). Now it is
   * quarantined in bounded memory while every health endpoint and the served model keep answering.
   */
  @Test
  @Order(4)
  void shouldKeepEveryServiceAndTheServedModelAnsweringWhileAThreeHundredMegabyteLineIsRefused() throws Exception {
    Path share = dataDir.resolve("shares").resolve("turbofan");
    String name = "one-line-" + UUID.randomUUID() + ".txt";
    Path tmp = dataDir.resolve(name + ".tmp");
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) '1');
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (int i = 0; i < 300; i++) {
        out.write(block);
      }
    }
    List<String> urls = new ArrayList<>();
    stack.ports().keySet().forEach(s -> urls.add(stack.url(s) + "/actuator/health"));
    // The target serves one model at a time: the loop's last rollout (the script's model or the AutoML one).
    String serving = get("deploy-service", "/api/targets/" + target, admin).path("running").path("model").asText();
    urls.add("http://127.0.0.1:" + edgePort + "/v2/models/" + serving + "/ready");
    Files.move(tmp, share.resolve(name), StandardCopyOption.ATOMIC_MOVE);

    long slowest = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    Path quarantined = share.resolve(".quarantine").resolve(name);
    try {
      while (!Files.exists(quarantined)) {
        assertThat(System.nanoTime()).as("%s quarantined within 3 minutes", name).isLessThan(deadline);
        for (String url : urls) {
          long began = System.nanoTime();
          assertThat(status(url, null)).as(url).isEqualTo(200);
          slowest = Math.max(slowest, System.nanoTime() - began);
        }
        Thread.sleep(200);
      }
    } finally {
      Files.deleteIfExists(share.resolve(name));
    }
    System.out.printf("300 MB one-line file: quarantined; slowest health/ready answer meanwhile %d ms%n", slowest / 1_000_000);
    assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(5));
    String reason = Files.readString(share.resolve(".quarantine").resolve(name + ".reason.json"));
    assertThat(reason).containsAnyOf("line_too_long", "too_large");
    Files.deleteIfExists(quarantined); // 300 MB of disk back
  }

  // ---- helpers

  private String createToken(String name, String role) throws Exception {
    HttpResponse<String> created = send("POST", "training-service", "/api/tokens", admin,
        JSON.writeValueAsString(Map.of("name", name + "-" + UUID.randomUUID(), "roles", List.of(role))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("token").asText();
  }

  private JsonNode awaitRun(String runId, String token) throws Exception {
    return awaitValue(Duration.ofMinutes(8), "run " + runId + " ended", () -> {
      JsonNode detail = get("training-service", "/api/runs/" + runId, token);
      return List.of("completed", "failed", "canceled").contains(detail.path("run").path("status").asText()) ? detail : null;
    });
  }

  private interface Probe<T> {
    T value() throws Exception;
  }

  private static <T> T awaitValue(Duration timeout, String what, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.value();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(1000);
    }
  }

  private JsonNode get(String service, String path, String token) throws Exception {
    HttpResponse<String> response = send("GET", service, path, token, null);
    assertThat(response.statusCode()).as("GET %s %s: %s", service, path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(String method, String service, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.url(service) + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items.stream();
  }

  private static int status(String url, String token) {
    return TestHttp.status(url, token, Duration.ofSeconds(10));
  }
}
