package io.edgeloop.packaging.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImageBuildFailed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.PromotionCause;
import io.edgeloop.imagetrust.ImageVerifier;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.packaging.PackagingDatabase;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.Topics;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.PackagingApplication;
import io.edgeloop.packaging.RegistryApi;
import io.edgeloop.security.Role;
import io.edgeloop.security.test.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a real Kafka broker, a real PostgreSQL, the local registry and the Docker
 * engine: a {@code ModelTrained} published by "training" (a plain Kafka producer) becomes a signed
 * image in the registry, smoke-tested in Docker, and {@code ImagePushed} with the registry's digest
 * appears on the topic (through the outbox). A redelivered event builds nothing and announces nothing
 * again; a corrupt model fails its smoke test and {@code ImageBuildFailed} says why, as does
 * {@code GET /api/images}; a version skipped by the promoted-only policy is built and announced
 * (promoted) when {@code ModelPromoted} names it. Slow (three image runs).
 */
@AutoConfigureObservability
@SpringBootTest(classes = PackagingApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.config.name=packaging-service")
class PackagingFlowIT {
  static final String PREFIX = "it-" + UUID.randomUUID().toString().substring(0, 8);
  static Path work;

  @BeforeAll
  static void infrastructure() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeDocker();
    Infrastructure.assumeJlink();
    work = Files.createTempDirectory("packaging-flow-");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("spring.datasource.url", PackagingDatabase::emptyUrl);
    registry.add("edgeloop.data-dir", () -> work.toString());
    registry.add("edgeloop.packaging.registry", () -> Infrastructure.REGISTRY);
    registry.add("edgeloop.packaging.repository-prefix", () -> PREFIX);
    registry.add("edgeloop.packaging.smoke-test", () -> "docker");
    registry.add("edgeloop.packaging.docker-host", () -> Infrastructure.DOCKER_HOST);
    registry.add("edgeloop.packaging.cache-dir", () -> Infrastructure.cacheDir().toAbsolutePath().toString());
  }

  @Autowired TestRestTemplate rest;
  @Autowired MeterRegistry meters;
  @Autowired ApplicationContext context;

  /** The API needs a token: the test reads it as a viewer would. */
  @BeforeEach
  void authorize() {
    TestTokens.authorize(rest, TestTokens.issue(context, Role.VIEWER));
  }

  @Test
  void shouldTurnModelTrainedIntoASmokeTestedImageAndAnnounceItOnce() throws Exception {
    Path v1Dir = work.resolve("models/flow-toy/1");
    Path v2Dir = work.resolve("models/flow-toy/2");
    ModelManifest v1 = ModelPackageMother.linear(v1Dir, "flow-toy", 1, 2f, -0.5f, 1f);
    ModelManifest v2 = ModelPackageMother.corrupt(v2Dir, "flow-toy", 2);

    publish(ModelPackageMother.trained(v1, v1Dir, true));

    List<ImagePushed> pushed = imagesPushed(1, Duration.ofSeconds(180));
    assertThat(pushed).hasSize(1);
    ImagePushed event = pushed.get(0);
    String repository = PREFIX + "/flow-toy";
    assertThat(event.imageReference()).isEqualTo(Infrastructure.REGISTRY + "/" + repository + ":1");
    assertThat(event.digest()).isEqualTo(RegistryApi.digest(repository, "1"));
    assertThat(event.sizeBytes()).isPositive();
    assertThat(event.labels()).containsEntry("io.edgeloop.model.version", "1")
        .containsEntry("io.edgeloop.model.onnx-sha256", v1.onnxSha256());

    // Redelivery of v1, then a corrupt v2: same partition (key = model name), so handled in this order.
    publish(ModelPackageMother.trained(v1, v1Dir, true));
    publish(ModelPackageMother.trained(v2, v2Dir, true));

    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> status("flow-toy", 2) != null
        && status("flow-toy", 2).path("status").asText().equals("failed"));
    JsonNode failed = status("flow-toy", 2);
    assertThat(failed.path("reasonCode").asText()).isEqualTo("smoke_test_failed");
    assertThat(failed.path("reason").asText()).startsWith("smoke test (docker) failed: the model server stopped");
    assertThat(failed.path("announced").asBoolean()).isFalse();
    ImageBuildFailed why = imageBuildFailed(Duration.ofSeconds(30));
    assertThat(why.modelVersion()).isEqualTo(2);
    assertThat(why.reason()).isEqualTo(BuildFailureReason.SMOKE_TEST_FAILED);
    assertThat(why.message()).startsWith("smoke test (docker) failed");
    JsonNode ok = status("flow-toy", 1);
    assertThat(ok.path("status").asText()).isEqualTo("pushed");
    assertThat(ok.path("digest").asText()).isEqualTo(event.digest());
    assertThat(ok.path("announced").asBoolean()).isTrue();
    assertThat(ok.path("signed").asBoolean()).isTrue();

    // v3 is not promoted: skipped by policy; promoted by hand later, it is built and announced then.
    Path v3Dir = work.resolve("models/flow-toy/3");
    ModelManifest v3 = ModelPackageMother.linear(v3Dir, "flow-toy", 3, 1f, 1f, 0f);
    publish(ModelPackageMother.trained(v3, v3Dir, false));
    await().atMost(Duration.ofSeconds(60)).until(() -> status("flow-toy", 3) != null
        && status("flow-toy", 3).path("status").asText().equals("skipped"));
    publish(new ModelPromoted("flow-toy", ModelPromoted.CHAMPION, 3, 1, AliasChange.ASSIGNED, PromotionCause.MANUAL, 7,
        java.time.Instant.now()));
    List<ImagePushed> afterPromotion = imagesPushed(2, Duration.ofSeconds(180));
    assertThat(afterPromotion).hasSize(2);
    assertThat(afterPromotion.get(1).modelVersion()).isEqualTo(3);
    assertThat(afterPromotion.get(1).promoted()).isTrue();
    assertThat(afterPromotion.get(1).aliases()).containsExactly("champion");

    // The signing key the service made on first start verifies what it pushed.
    String pem = rest.getForObject("/api/images/signing-key", String.class);
    java.security.PublicKey key = SigningKeys.parsePublicKeys(pem, "/api/images/signing-key").get(0);
    new ImageVerifier(RegistryClient.anonymous(), List.of(Infrastructure.REGISTRY + "/" + PREFIX + "/"))
        .verify(event.imageReference() + "@" + event.digest(), List.of(key));
    assertThat(work.resolve("packaging/signing.key")).exists();

    assertThat(imagesPushed(3, Duration.ofSeconds(5))).as("one announcement per image").hasSize(2);
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "pushed").count()).isEqualTo(2);
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "skipped").count()).isEqualTo(1);
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "failed").count()).isEqualTo(1);
    assertThat(meters.find("edgeloop.packaging.pushed").counter().count()).isPositive();
    assertThat(meters.find("edgeloop.packaging.image.size").tag("model", "flow-toy").gauge().value()).isPositive();
    assertThat(rest.getForObject("/actuator/prometheus", String.class)).contains(
        "edgeloop_packaging_builds_total{result=\"failed\",service=\"packaging-service\"} 1.0",
        "edgeloop_packaging_build_duration_seconds_count", "edgeloop_packaging_pushed_bytes_total",
        "edgeloop_packaging_image_size_bytes{model=\"flow-toy\"");
  }

  private JsonNode status(String model, int version) {
    JsonNode all = rest.getForObject("/api/images", JsonNode.class);
    for (JsonNode build : all) {
      if (build.path("model").asText().equals(model) && build.path("version").asInt() == version) {
        return build;
      }
    }
    return null;
  }

  private static void publish(io.edgeloop.contracts.EdgeloopEvent event) throws Exception {
    ProducerRecord<String, byte[]> record = new EventCodec().toRecord(event, URI.create("urn:test:training"));
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(record).get();
    }
  }

  private static ImageBuildFailed imageBuildFailed(Duration timeout) {
    return flowToy(Topics.IMAGE_BUILD_FAILED, ImageBuildFailed.class, 1, timeout).get(0);
  }

  /** This test's {@code ImagePushed} events (others in this JVM share the broker), waiting up to {@code timeout} for {@code atLeast}. */
  private static List<ImagePushed> imagesPushed(int atLeast, Duration timeout) {
    return flowToy(Topics.IMAGE_PUSHED, ImagePushed.class, atLeast, timeout);
  }

  private static <E extends io.edgeloop.contracts.EdgeloopEvent> List<E> flowToy(String topic, Class<E> type, int atLeast,
      Duration timeout) {
    EventCodec codec = new EventCodec();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<E> mine;
    do {
      mine = EdgeloopKafka.read(topic, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
          .map(r -> codec.decode(r.headers(), r.value()).expect(type).data())
          .filter(e -> e.partitionKey().equals("flow-toy"))
          .toList();
    } while (mine.size() < atLeast && System.nanoTime() < deadline);
    return mine;
  }
}
