package io.edgeloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.PromotionCause;
import io.edgeloop.deploy.docker.EngineProxy;
import io.edgeloop.deploy.docker.InferLoad;
import io.edgeloop.deploy.docker.ModelServerImages;
import io.edgeloop.deploy.docker.TestImages;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.trust.TestSigningKey;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on real infrastructure: ImagePushed from a real Kafka broker, real model-server
 * images from the local registry on the real Docker engine, embedded real PostgreSQL, the REST
 * API and the ModelDeployed events. Three docker targets: {@code it-svc-main} (the canary),
 * {@code it-svc-remote} (through an engine endpoint the test takes away and brings back) and
 * {@code it-svc-gated} (needs manual approval). Slow: 2-3 minutes here (image builds, container starts on the vfs driver); a loop of infer calls
 * counts failed requests during a switch and during a failed rollout. Events come from a plain
 * Kafka producer; promotion is an event (ImagePushed.promoted, ModelPromoted); a forged image from
 * an untrusted registry is rejected.
 */
@SpringBootTest(
    classes = DeployApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=deploy-service",
      "spring.application.name=deploy-service-it",
      "edgeloop.deploy.local-target.enabled=false",
      "edgeloop.deploy.tick=200ms",
      "edgeloop.deploy.probe-interval=1s",
      "edgeloop.deploy.retry.initial=500ms",
      "edgeloop.deploy.retry.max=2s",
      "edgeloop.deploy.policy.rules[0].targets.role=gated",
      "edgeloop.deploy.policy.rules[0].require-approval=true",
      "edgeloop.deploy.policy.rules[1].models=it-*",
      "edgeloop.deploy.trust.registries=127.0.0.1:5000",
      "edgeloop.deploy.trust.repositories=edgeloop-test/*",
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext // its consumers, proxies and database go when the class is done, not when the JVM ends
class DeployServiceIT {
  private static final String RUN = "deploy-service-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String MAIN = "it-svc-main";
  private static final String REMOTE = "it-svc-remote";
  private static final String GATED = "it-svc-gated";
  private static EngineProxy engine;
  private static final Map<String, Integer> PORTS = new java.util.HashMap<>();

  @Autowired MeterRegistry meters;
  @Autowired ApplicationContext context;
  @LocalServerPort int apiPort;
  private DeployApiClient api;

  @BeforeAll
  static void images() throws Exception {
    String why = ModelServerImages.unavailable();
    assumeTrue(why == null, () -> "deploy-service IT skipped: " + why);
    TestImages.build();
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    Path data = Files.createTempDirectory("deploy-service-it");
    registry.add("edgeloop.data-dir", data::toString);
    registry.add("edgeloop.stack-id", () -> RUN);
    registry.add("edgeloop.deploy.trust.signing-keys", TestSigningKey::publicKeyFile);
    engine = new EngineProxy(Path.of("/var/run/docker.sock"));
    engine.goAway(); // the remote engine is away when the first rollout comes
    String[][] targets = {{MAIN, "main", "unix:///var/run/docker.sock"}, {REMOTE, "remote", engine.host()},
        {GATED, "gated", "unix:///var/run/docker.sock"}};
    for (int i = 0; i < targets.length; i++) {
      String prefix = "edgeloop.deploy.targets[" + i + "].";
      PORTS.put(targets[i][0], FreePorts.next());
      registry.add(prefix + "name", () -> targetName(prefix));
      registry.add(prefix + "kind", () -> "docker");
      registry.add(prefix + "labels.role", roleOf(i, targets));
      registry.add(prefix + "connection.host", hostOf(i, targets));
      registry.add(prefix + "connection.port", portOf(i, targets));
      registry.add(prefix + "connection.drain", () -> "1s");
      registry.add(prefix + "connection.ready-timeout", () -> "60s");
      registry.add(prefix + "connection[label." + ModelServerImages.TEST_LABEL + "]", () -> RUN);
    }
    registry.add("edgeloop.deploy.targets[0].labels.canary", () -> "true");
  }

  private static String targetName(String prefix) {
    return List.of(MAIN, REMOTE, GATED).get(Integer.parseInt(prefix.replaceAll("\\D", "")));
  }

  private static java.util.function.Supplier<Object> roleOf(int i, String[][] targets) {
    return () -> targets[i][1];
  }

  private static java.util.function.Supplier<Object> hostOf(int i, String[][] targets) {
    return () -> targets[i][2];
  }

  private static java.util.function.Supplier<Object> portOf(int i, String[][] targets) {
    return () -> Integer.toString(PORTS.get(targets[i][0]));
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (engine != null) {
      engine.close();
    }
    ModelServerImages.removeTestContainers(RUN);
    TestImages.removeFromEngine();
  }

  @Test
  @Order(1)
  void shouldDeployAPushedImageAndKeepTheUnreachableTargetPending() throws Exception {
    push(TestImages.v1());

    JsonNode main = awaitDeployment(MAIN, 1, "deployed");
    assertThat(main.path("trigger").asText()).isEqualTo("push");
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    awaitDeployment(REMOTE, 1, "pending");
    awaitDeployment(GATED, 1, "awaiting_approval");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(meters.get("edgeloop.deploy.pending").gauge().value()).isEqualTo(1.0);
      assertThat(meters.get("edgeloop.deploy.target.up").tag("target", REMOTE).gauge().value()).isZero();
      assertThat(meters.get("edgeloop.deploy.target.up").tag("target", MAIN).gauge().value()).isEqualTo(1.0);
    });
    // Between two retries the deployment is briefly running: the view shows it pending most of the time.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      JsonNode remoteView = get("/api/targets/" + REMOTE);
      assertThat(remoteView.path("up").asBoolean()).isFalse();
      assertThat(remoteView.path("pending").asInt()).isEqualTo(1);
    });
    assertThat(events(MAIN)).extracting(ModelDeployed::status).contains(DeploymentOutcome.DEPLOYED);
    assertThat(events(REMOTE)).extracting(ModelDeployed::status).contains(DeploymentOutcome.PENDING);
  }

  @Test
  @Order(2)
  void shouldCompleteThePendingRolloutWhenTheEngineComesBackEvenIfItGoesAwayMidRollout() throws Exception {
    engine.comeBack();
    // Cut the engine again once the retry has created its container (start, readiness and smoke
    // test take seconds more), so the engine disappears in the middle of a rollout.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !remoteContainers().isEmpty());
    engine.goAway();
    int attempts = awaitDeployment(REMOTE, 1, "pending").path("attempts").asInt();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode latest = get("/api/deployments?target=" + REMOTE).get(0);
      return latest.path("attempts").asInt() > attempts && latest.path("status").asText().equals("pending");
    });
    engine.comeBack();

    JsonNode remote = awaitDeployment(REMOTE, 1, "deployed");
    assertThat(remote.path("attempts").asInt()).isGreaterThan(2);
    assertThat(remoteContainers()).as("the container of the interrupted attempt is gone").hasSize(1);
    assertThat(ModelServerImages.output(List.of("docker", "inspect", "--format", "{{.Name}}", remoteContainers().get(0))).trim())
        .as("the checked container serves").endsWith("-serving");
    assertThat(infer(REMOTE)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    assertThat(events(REMOTE)).extracting(ModelDeployed::status).contains(DeploymentOutcome.PENDING, DeploymentOutcome.DEPLOYED);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(meters.get("edgeloop.deploy.pending").gauge().value()).isZero());
  }

  @Test
  @Order(3)
  void shouldDeployToAGatedTargetOnlyAfterApproval() throws Exception {
    long id = awaitDeployment(GATED, 1, "awaiting_approval").path("id").asLong();

    JsonNode approved = post("/api/deployments/" + id + "/approve", "", 200);
    assertThat(approved.path("status").asText()).isIn("queued", "running", "deployed");
    awaitDeployment(GATED, 1, "deployed");
    assertThat(infer(GATED)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
  }

  @Test
  @Order(4)
  void shouldRollBackABrokenImageOnTheCanaryAndNotTouchTheOtherTargets() throws Exception {
    InferLoad load = new InferLoad(PORTS.get(MAIN), TestImages.MODEL, 100_000);
    Thread loop = new Thread(load);
    loop.start();
    push(TestImages.broken());

    JsonNode main = awaitDeployment(MAIN, 3, "rolled_back");
    load.stop();
    loop.join();
    System.out.printf("LOAD DURING FAILED ROLLOUT: %d requests, %d failed, answers %s, errors %s; rollout took %d ms%n",
        load.sent.get(), load.failed.get(), load.answers, load.errors, main.path("durationMs").asLong());
    assertThat(load.failed.get()).as("failed requests: %s", load.errors).isZero();
    assertThat(load.answers).containsOnlyKeys(TestImages.answer(TestImages.V1_WEIGHT));
    assertThat(main.path("previousVersion").asInt()).isEqualTo(1);
    assertThat(main.path("message").asText()).contains("smoke test failed");
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    awaitDeployment(REMOTE, 3, "canceled");
    assertThat(infer(REMOTE)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    assertThat(events(MAIN)).extracting(ModelDeployed::status).contains(DeploymentOutcome.ROLLED_BACK);
    assertThat(meters.get("edgeloop.deploy.rollouts").tag("result", "rolled_back").counter().count()).isEqualTo(1.0);
  }

  @Test
  @Order(5)
  void shouldSwitchToTheNextVersionWithoutFailedRequestsAndRollBackByHandThroughTheApi() throws Exception {
    InferLoad load = new InferLoad(PORTS.get(MAIN), TestImages.MODEL, 200_000);
    Thread loop = new Thread(load);
    loop.start();
    push(TestImages.v2());
    JsonNode switched = awaitDeployment(MAIN, 2, "deployed");
    Thread.sleep(3_000); // keep calling while the old container is retired (after the switch) and after it is gone
    load.stop();
    loop.join();
    System.out.printf("LOAD DURING SWITCH: %d requests, %d failed, answers %s, errors %s; rollout took %d ms%n",
        load.sent.get(), load.failed.get(), load.answers, load.errors, switched.path("durationMs").asLong());
    assertThat(load.failed.get()).as("failed requests during the switch: %s", load.errors).isZero();
    assertThat(load.answers).containsKeys(TestImages.answer(TestImages.V1_WEIGHT), TestImages.answer(TestImages.V2_WEIGHT));

    awaitDeployment(REMOTE, 2, "deployed");
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));
    assertThat(infer(REMOTE)).isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));
    assertThat(meters.get("edgeloop.deploy.model.version").tags("target", MAIN, "model", TestImages.MODEL).gauge().value())
        .isEqualTo(2.0);

    JsonNode rollback = post("/api/targets/" + MAIN + "/rollback", "{\"version\": 1}", 202);
    assertThat(rollback.path("trigger").asText()).isEqualTo("rollback");
    awaitDeployment(MAIN, 1, "deployed", "rollback");
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));

    JsonNode target = get("/api/targets/" + MAIN);
    assertThat(target.path("running").path("version").asInt()).isEqualTo(1);
    assertThat(target.path("running").path("source").asText()).isEqualTo("target");
    JsonNode history = get("/api/deployments?target=" + MAIN);
    assertThat(history).extracting(d -> d.path("modelVersion").asInt() + ":" + d.path("status").asText())
        .containsExactly("1:deployed", "2:deployed", "3:rolled_back", "1:deployed");
    assertThat(meters.get("edgeloop.deploy.model.version").tags("target", MAIN, "model", TestImages.MODEL).gauge().value())
        .isEqualTo(1.0);
    post("/api/targets/" + MAIN + "/rollback", "{\"version\": 42}", 404);
  }

  @Test
  @Order(6)
  void shouldRejectAForgedImageAndStillRollOutTheNextRealVersionOnce() throws Exception {
    Release v1 = TestImages.v1();
    Release forged = new Release(TestImages.MODEL, 1000, "127.0.0.2:5000/edgeloop-test/" + TestImages.MODEL + ":1000", v1.digest());
    push(forged, true);

    JsonNode rejected = awaitDeployment(MAIN, 1000, "rejected");
    assertThat(rejected.path("message").asText()).contains("registry 127.0.0.2:5000 is not trusted");
    awaitDeployment(REMOTE, 1000, "rejected");
    assertThat(events(MAIN)).filteredOn(e -> e.modelVersion() == 1000).extracting(ModelDeployed::status)
        .containsExactly(DeploymentOutcome.REJECTED);
    assertThat(ModelServerImages.output(List.of("docker", "ps", "-aq", "--filter", "label=io.edgeloop.model.version=1000")))
        .as("nothing of the forged image runs").isBlank();
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));

    Release v4 = new Release(TestImages.MODEL, 4, TestImages.v2().imageReference(), TestImages.v2().digest());
    ImagePushed real = push(v4, true);
    awaitDeployment(MAIN, 4, "deployed");
    assertThat(infer(MAIN)).as("v4 is not 'older' than the forged v1000").isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));

    double before = received("edgeloop.image.pushed.v1");
    send(real); // the same fact announced again, twice (new records, the same natural key)
    send(real);
    await().atMost(Duration.ofSeconds(30)).until(() -> received("edgeloop.image.pushed.v1") >= before + 2);
    assertThat(get("/api/deployments?target=" + MAIN + "&model=" + TestImages.MODEL)).filteredOn(d -> d.path("modelVersion").asInt() == 4)
        .as("one rollout of v4 however often it is announced").hasSize(1);
    assertThat(meters.get("edgeloop.deploy.rollouts").tag("result", "rejected").counter().count()).isEqualTo(3.0);
  }

  @Test
  @Order(7)
  void shouldRollOutAnEarlierUnpromotedImageWhenItIsPromotedByHandAndKeepItOnDemotion() throws Exception {
    Release v5 = new Release(TestImages.MODEL, 5, TestImages.v1().imageReference(), TestImages.v1().digest());
    double pushedBefore = received("edgeloop.image.pushed.v1");
    push(v5, false);
    await().atMost(Duration.ofSeconds(30)).until(() -> received("edgeloop.image.pushed.v1") > pushedBefore);
    assertThat(get("/api/deployments?model=" + TestImages.MODEL)).as("an unpromoted image is not rolled out")
        .noneMatch(d -> d.path("modelVersion").asInt() == 5);

    send(new ModelPromoted(TestImages.MODEL, ModelPromoted.CHAMPION, 5, 4, AliasChange.ASSIGNED, PromotionCause.MANUAL, 1,
        Instant.now()));
    JsonNode promoted = awaitDeployment(MAIN, 5, "deployed");
    assertThat(promoted.path("trigger").asText()).isEqualTo("promote");
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));

    int rows = get("/api/deployments?model=" + TestImages.MODEL + "&limit=1000").size();
    double promotionsBefore = received("edgeloop.model.promoted.v1");
    send(new ModelPromoted(TestImages.MODEL, ModelPromoted.CHAMPION, 5, null, AliasChange.REMOVED, PromotionCause.MANUAL, 2,
        Instant.now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> received("edgeloop.model.promoted.v1") > promotionsBefore);
    Thread.sleep(1_000); // a tick or two of the runner: nothing may be planned
    assertThat(get("/api/deployments?model=" + TestImages.MODEL + "&limit=1000")).as("a demotion rolls nothing back").hasSize(rows);
    assertThat(infer(MAIN)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
  }

  // --- helpers

  private List<String> remoteContainers() {
    return ModelServerImages.output(List.of("docker", "ps", "-aq", "--filter", "label=" + ModelServerImages.TEST_LABEL + "=" + RUN,
        "--filter", "label=io.edgeloop.deploy.target=" + REMOTE)).lines().filter(line -> !line.isBlank()).toList();
  }

  private double received(String type) {
    var counter = meters.find("edgeloop.events.received").tag("type", type).counter();
    return counter == null ? 0 : counter.count();
  }

  private void send(io.edgeloop.contracts.EdgeloopEvent event) throws Exception {
    ProducerRecord<String, byte[]> record = new EventCodec().toRecord(event, URI.create("urn:test"));
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(record).get();
    }
  }

  private ImagePushed push(Release release) throws Exception {
    return push(release, true);
  }

  private ImagePushed push(Release release, boolean promoted) throws Exception {
    ImagePushed event = new ImagePushed(release.modelName(), release.modelVersion(), release.imageReference(),
        release.digest(), 100_000_000L, Map.of("io.edgeloop.model.name", release.modelName()), promoted,
        promoted ? List.of(ModelPromoted.CHAMPION) : List.of(), Instant.now());
    send(event);
    return event;
  }

  private JsonNode awaitDeployment(String target, int version, String status) {
    return api().awaitDeployment(target, version, status, null);
  }

  private JsonNode awaitDeployment(String target, int version, String status, String trigger) {
    return api().awaitDeployment(target, version, status, trigger);
  }

  private List<ModelDeployed> events(String target) {
    return DeployApiClient.events(target);
  }

  private double infer(String target) throws Exception {
    return InferLoad.inferOnce(PORTS.get(target), TestImages.MODEL);
  }

  /** The API needs a token: the test calls it as an operator would (approve, roll back). */
  private DeployApiClient api() {
    if (api == null) {
      api = new DeployApiClient(context, apiPort, Role.OPERATOR);
    }
    return api;
  }

  private JsonNode get(String path) throws Exception {
    return api().get(path);
  }

  private JsonNode post(String path, String body, int expectedStatus) throws Exception {
    return api().post(path, body, expectedStatus);
  }

}
