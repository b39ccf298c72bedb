package io.edgeloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.deploy.docker.InferLoad;
import io.edgeloop.deploy.docker.ModelServerImages;
import io.edgeloop.deploy.docker.TestImages;
import io.edgeloop.deploy.trust.TestSigningKey;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rollout benchmark, not a test: it runs only with {@code -Ddeploy.bench=true} (see
 * {@code bench/deploy/rollout-figures.sh}) and prints figures, asserting nothing about time. The
 * whole service with its default timings (tick, drain, readiness polling) and one docker target:
 * an ImagePushed is published by a plain producer, and the time until the target's stable port
 * answers with the new version is measured from the client's side while a keep-alive infer loop
 * runs. The service logs each rollout's phases ({@code serves; adopt .. ms, pull .. ms, ...}).
 */
@SpringBootTest(
    classes = DeployApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=deploy-service",
      "spring.application.name=deploy-service-bench",
      "edgeloop.deploy.local-target.enabled=false",
      "edgeloop.deploy.trust.repositories=edgeloop-test/*",
    })
@DirtiesContext
class RolloutSpeedIT {
  private static final String RUN = "deploy-bench-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TARGET = RUN + "-edge";
  private static final String MODEL = TestImages.MODEL;
  private static int port;

  @BeforeAll
  static void images() throws Exception {
    assumeTrue(Boolean.getBoolean("deploy.bench"), "rollout benchmark: run bench/deploy/rollout-figures.sh (-Ddeploy.bench=true)");
    String why = ModelServerImages.unavailable();
    assumeTrue(why == null, () -> "rollout benchmark skipped: " + why);
    TestImages.build();
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    Path data = Files.createTempDirectory("deploy-bench");
    registry.add("edgeloop.data-dir", data::toString);
    registry.add("edgeloop.stack-id", () -> RUN);
    registry.add("edgeloop.deploy.trust.signing-keys", TestSigningKey::publicKeyFile);
    port = FreePorts.next();
    registry.add("edgeloop.deploy.targets[0].name", () -> TARGET);
    registry.add("edgeloop.deploy.targets[0].kind", () -> "docker");
    registry.add("edgeloop.deploy.targets[0].connection.port", () -> Integer.toString(port));
    registry.add("edgeloop.deploy.targets[0].connection[label." + ModelServerImages.TEST_LABEL + "]", () -> RUN);
  }

  @AfterAll
  static void cleanUp() {
    ModelServerImages.removeTestContainers(RUN);
    TestImages.removeFromEngine();
  }

  @Test
  void printRolloutFigures() throws Exception {
    int rounds = Integer.getInteger("deploy.bench.rounds", 6);
    InferLoad load = null;
    Thread loop = null;
    List<String> figures = new ArrayList<>();
    long version = 100;
    KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer();
    for (int round = 0; round <= rounds; round++) {
      Release image = round % 2 == 0 ? TestImages.v1() : TestImages.v2();
      double expected = TestImages.answer(round % 2 == 0 ? TestImages.V1_WEIGHT : TestImages.V2_WEIGHT);
      boolean cached = round >= 2;
      long started = System.nanoTime();
      publish(producer, new Release(MODEL, (int) version++, image.imageReference(), image.digest()));
      while (answer() != expected) {
        Thread.sleep(10);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      String line = String.format("[rollout] round %d: %s, image %s: ImagePushed -> serving %d ms", round,
          round == 0 ? "first deployment" : "switch", cached ? "already on the engine" : "pulled by digest", millis);
      System.out.println(line);
      figures.add(line);
      if (round == 0) {
        load = new InferLoad(port, MODEL, 10_000_000);
        loop = new Thread(load);
        loop.start();
      }
      Thread.sleep(3_000); // the old container's retirement (drain, stop) is not part of the figure; let it finish
    }
    producer.close();
    load.stop();
    loop.join();
    System.out.printf("[rollout] infer loop during the switches: %d requests, %d failed%n", load.sent.get(), load.failed.get());
    assertThat(figures).hasSize(rounds + 1);
  }

  private static double answer() {
    try {
      return InferLoad.inferOnce(port, MODEL);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private static void publish(KafkaProducer<String, byte[]> producer, Release release) throws Exception {
    ImagePushed event = new ImagePushed(release.modelName(), release.modelVersion(), release.imageReference(),
        release.digest(), 1, Map.of(), true, List.of(ModelPromoted.CHAMPION), Instant.now());
    producer.send(new EventCodec().toRecord(event, URI.create("urn:bench:packaging"))).get();
  }
}
