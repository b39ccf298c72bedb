package io.edgeloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.deploy.docker.InferLoad;
import io.edgeloop.deploy.docker.ModelServerImages;
import io.edgeloop.deploy.docker.SecondDockerEngine;
import io.edgeloop.deploy.docker.TestImages;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.trust.TestSigningKey;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.Role;
import io.edgeloop.testing.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Docker engine of a deploy target crashes in the middle of a rollout: the target is a second,
 * real dockerd ({@link SecondDockerEngine}: its own socket, data root and bridge), the whole
 * deploy service runs in this JVM on the real broker and an embedded PostgreSQL. A promoted
 * {@code ImagePushed} starts the rollout; once the engine has pulled the image and created the new
 * container (the rollout still waits for it to be ready), the daemon is killed with SIGKILL (a
 * crash, not a clean stop: no API call gets an answer, its containerd and port proxies die with it,
 * and its container is left to the next start, which is the harder case than a SIGTERM that stops
 * everything in order), stays down 20 s, then starts again on the same data root and socket.
 * Nothing is lost and nothing done twice: the rollout waited {@code pending} (retried with backoff,
 * failing while the engine was down) and ended {@code deployed} once, in one deployment record with
 * one {@code deployed} event; the model answers on the target's port, and exactly one container of
 * the model is on the engine (the interrupted attempt's is gone). Slow: 1-2 minutes here (an
 * image build, the service's start, the 20 s outage, container starts on the vfs driver). Needs
 * root; skipped where a second dockerd cannot run or the test images cannot be built.
 */
@SpringBootTest(
    classes = DeployApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=deploy-service",
      "spring.application.name=deploy-engine-stopped-it",
      "edgeloop.deploy.local-target.enabled=false",
      "edgeloop.deploy.tick=200ms",
      "edgeloop.deploy.probe-interval=1s",
      "edgeloop.deploy.retry.initial=500ms",
      "edgeloop.deploy.retry.max=2s",
      "edgeloop.deploy.trust.registries=127.0.0.1:5000",
      "edgeloop.deploy.trust.repositories=edgeloop-test/*",
    })
@DirtiesContext // its consumers, proxy and database go when the class is done
class TargetEngineStoppedIT {
  private static final String RUN = "engine-stop-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TARGET = "it-stop-" + RUN.substring(RUN.length() - 8);
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  private static final Set<String> FINAL = Set.of("deployed", "failed", "rolled_back", "canceled", "rejected");
  private static final int PORT = FreePorts.next();
  private static SecondDockerEngine engine;

  @Autowired MeterRegistry meters;
  @Autowired ApplicationContext context;
  @LocalServerPort int apiPort;
  private DeployApiClient api;

  @BeforeAll
  static void engineAndImages() throws Exception {
    String noEngine = SecondDockerEngine.unavailable();
    assumeTrue(noEngine == null, () -> "engine-stopped IT skipped: " + noEngine);
    String noImages = ModelServerImages.unavailable();
    assumeTrue(noImages == null, () -> "engine-stopped IT skipped: " + noImages);
    TestImages.buildV1();
    engine = SecondDockerEngine.create();
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    Path data = Files.createTempDirectory("deploy-engine-stopped-it");
    registry.add("edgeloop.data-dir", data::toString);
    registry.add("edgeloop.stack-id", () -> RUN);
    registry.add("edgeloop.deploy.trust.signing-keys", TestSigningKey::publicKeyFile);
    String target = "edgeloop.deploy.targets[0].";
    registry.add(target + "name", () -> TARGET);
    registry.add(target + "kind", () -> "docker");
    registry.add(target + "connection.host", () -> engine.host());
    registry.add(target + "connection.port", () -> Integer.toString(PORT));
    // The engine publishes on its own address (as a remote engine would), where the service reaches it.
    registry.add(target + "connection.container-bind-address", () -> engine.address());
    registry.add(target + "connection.publish-address", () -> engine.address());
    registry.add(target + "connection.drain", () -> "1s");
    registry.add(target + "connection.ready-timeout", () -> "60s");
    registry.add(target + "connection[label." + ModelServerImages.TEST_LABEL + "]", () -> RUN);
  }

  @AfterAll
  static void cleanUp() {
    if (engine != null) {
      engine.close(); // its containers, the daemon and its containerd, its folders, its bridge
    }
  }

  @Test
  void shouldDeployOnceWhenTheTargetsEngineCrashesMidRolloutAndComesBack() throws Exception {
    Release v1 = TestImages.v1();
    send(new ImagePushed(v1.modelName(), v1.modelVersion(), v1.imageReference(), v1.digest(), 100_000_000L,
        Map.of("io.edgeloop.model.name", v1.modelName()), true, List.of(ModelPromoted.CHAMPION), Instant.now()));

    // The middle of the rollout: the engine pulled the image and created the new container; the
    // rollout now starts it and waits for it to be ready (seconds: a JVM starts in it).
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> !containers().isEmpty());
    JsonNode atCrash = deployment();
    String interrupted = containers().get(0);
    engine.kill();
    Instant crashed = Instant.now();
    assertThat(atCrash.path("status").asText()).as("the rollout was under way when the engine crashed: %s", atCrash)
        .isEqualTo("running");
    assertThat(atCrash.path("attempts").asInt()).isEqualTo(1);
    System.out.printf("ENGINE CRASHED mid-rollout: container %s existed, deployment %s%n", interrupted, atCrash);

    // While it is down the rollout waits: pending, retried with backoff, each retry failing.
    JsonNode waiting = awaitLeaving("running", Duration.ofSeconds(30));
    assertThat(waiting.path("status").asText()).as("the crash mid-rollout is not a verdict on the image: %s", waiting)
        .isEqualTo("pending");
    int attemptsWhenPending = waiting.path("attempts").asInt();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      JsonNode retried = deployment();
      assertThat(retried.path("attempts").asInt()).as("retried during the outage: %s", retried)
          .isGreaterThan(attemptsWhenPending);
      assertThat(retried.path("status").asText()).isIn("pending", "running");
      assertThat(meters.get("edgeloop.deploy.target.up").tag("target", TARGET).gauge().value()).isZero();
      assertThat(meters.get("edgeloop.deploy.pending").gauge().value()).isEqualTo(1.0);
    });
    assertThat(engine.answers()).isFalse();
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), crashed.plus(OUTAGE)).toMillis()));
    int attemptsDuringOutage = deployment().path("attempts").asInt();

    engine.start(); // the same data root and socket
    JsonNode done = awaitLeaving(null, Duration.ofSeconds(90));
    System.out.printf("AFTER THE CRASH: %s (engine down %d s, %d attempts during the outage)%n", done,
        Duration.between(crashed, Instant.now()).toSeconds(), attemptsDuringOutage);
    assertThat(done.path("status").asText()).as("%s", done).isEqualTo("deployed");
    assertThat(done.path("attempts").asInt()).isGreaterThanOrEqualTo(attemptsDuringOutage);

    JsonNode history = api().get("/api/deployments?target=" + TARGET + "&limit=1000");
    assertThat(history).as("one deployment record for v1 on the target").hasSize(1);
    assertThat(InferLoad.inferOnce(PORT, TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));

    List<String> onEngine = containers();
    assertThat(onEngine).as("one container of the model on the engine").hasSize(1);
    assertThat(onEngine).as("the interrupted attempt's container is gone").doesNotContain(interrupted);
    assertThat(engine.docker("inspect", "--format", "{{.Name}} {{.State.Status}}", onEngine.get(0)).trim())
        .as("the checked container serves").endsWith("-serving running");

    List<DeploymentOutcome> outcomes = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
        .until(TargetEngineStoppedIT::outcomes, o -> o.contains(DeploymentOutcome.DEPLOYED));
    System.out.printf("ModelDeployed for v1 on %s: %s%n", TARGET, outcomes);
    assertThat(outcomes).as("one deployed event, after the pending ones; nothing failed")
        .containsOnly(DeploymentOutcome.PENDING, DeploymentOutcome.DEPLOYED)
        .containsOnlyOnce(DeploymentOutcome.DEPLOYED)
        .endsWith(DeploymentOutcome.DEPLOYED);
    assertThat(meters.get("edgeloop.deploy.rollouts").tag("result", "deployed").counter().count()).isEqualTo(1.0);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(meters.get("edgeloop.deploy.pending").gauge().value()).isZero();
      assertThat(meters.get("edgeloop.deploy.target.up").tag("target", TARGET).gauge().value()).isEqualTo(1.0);
    });
  }

  // --- helpers

  /** The model's containers on the second engine (any state). */
  private static List<String> containers() {
    return engine.docker("ps", "-aq", "--filter", "label=" + ModelServerImages.TEST_LABEL + "=" + RUN,
        "--filter", "label=io.edgeloop.model.name=" + TestImages.MODEL).lines().filter(line -> !line.isBlank()).toList();
  }

  /** The newest deployment to the target (the test makes only the one). */
  private JsonNode deployment() throws Exception {
    JsonNode all = api().get("/api/deployments?target=" + TARGET);
    assertThat(all).as("deployments to %s", TARGET).isNotEmpty();
    return all.get(0);
  }

  /** Waits until the deployment's status is no longer {@code status} (null: until it is final). */
  private JsonNode awaitLeaving(String status, Duration atMost) {
    JsonNode[] found = new JsonNode[1];
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      found[0] = deployment();
      String now = found[0].path("status").asText();
      return status == null ? FINAL.contains(now) : !now.equals(status);
    });
    return found[0];
  }

  /** The statuses of the ModelDeployed events about v1 on the target, in the order they were announced. */
  private static List<DeploymentOutcome> outcomes() {
    return DeployApiClient.events(TARGET).stream().filter(e -> e.modelVersion() == 1).map(ModelDeployed::status).toList();
  }

  private static void send(io.edgeloop.contracts.EdgeloopEvent event) throws Exception {
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(new EventCodec().toRecord(event, URI.create("urn:test"))).get();
    }
  }

  private DeployApiClient api() {
    if (api == null) {
      api = new DeployApiClient(context, apiPort, Role.OPERATOR);
    }
    return api;
  }
}
