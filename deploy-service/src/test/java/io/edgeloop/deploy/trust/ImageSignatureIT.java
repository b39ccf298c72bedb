package io.edgeloop.deploy.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.deploy.DeployApiClient;
import io.edgeloop.deploy.DeployApplication;
import io.edgeloop.deploy.docker.EngineProxy;
import io.edgeloop.deploy.docker.InferLoad;
import io.edgeloop.deploy.docker.ModelServerImages;
import io.edgeloop.deploy.docker.TestImages;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.imagetrust.CosignSignatures;
import io.edgeloop.imagetrust.ImageReference;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Deploy runs only images signed by the trusted key, on real infrastructure: the whole service with a
 * real KRaft broker, embedded real PostgreSQL, real model-server images in the local registry
 * (127.0.0.1:5000) and the real Docker engine. An image signed by the trusted key (as packaging signs
 * it) is rolled out; an unsigned copy, a copy signed by a foreign key, and an image whose tag moved
 * after signing with the signature copied along (a signature of another digest) are each
 * {@code rejected} with their reason, announced as {@code ModelDeployed rejected}, and never pulled
 * or started (the engine's event log says so). A registry that does not answer is no verdict: the
 * event waits and the image is rolled out once the registry is back. Each image is copied into a
 * repository of this run, so no other test's signatures are touched.
 */
@SpringBootTest(
    classes = DeployApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=deploy-service",
      "spring.application.name=deploy-signature-it",
      "edgeloop.deploy.local-target.enabled=false",
      "edgeloop.deploy.tick=200ms",
      "edgeloop.deploy.probe-interval=1s",
      "edgeloop.deploy.trust.repositories=edgeloop-test/*",
      // The outage test waits for retries: 1 s, then 2 s apart (the shipped cap is 60 s).
      "edgeloop.messaging.retry.max-interval=2s",
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class ImageSignatureIT {
  private static final String RUN = "deploy-sig-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TARGET = RUN + "-edge";
  private static final String MODEL = TestImages.MODEL;
  private static final String REGISTRY = ModelServerImages.REGISTRY;
  private static final long STARTED = Instant.now().getEpochSecond();
  private static EngineProxy registryProxy;
  private static int port;

  @Autowired MeterRegistry meters;
  @Autowired ApplicationContext context;
  @LocalServerPort int apiPort;
  private DeployApiClient api;

  @BeforeAll
  static void images() throws Exception {
    String why = ModelServerImages.unavailable();
    assumeTrue(why == null, () -> "image signature IT skipped: " + why);
    TestImages.build();
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("edgeloop.data-dir", () -> tempDir());
    registry.add("edgeloop.stack-id", () -> RUN);
    // Topics and a group of its own: other test classes' ImagePushed and ModelPromoted (about the same
    // model and versions, in the same JVM's broker) are not this service's to read.
    registry.add("spring.cloud.stream.bindings.onImagePushed-in-0.destination", () -> RUN + ".image-pushed");
    registry.add("spring.cloud.stream.bindings.onImagePushed-in-0.group", () -> RUN);
    registry.add("spring.cloud.stream.bindings.onModelPromoted-in-0.destination", () -> RUN + ".model-promoted");
    registry.add("spring.cloud.stream.bindings.onModelPromoted-in-0.group", () -> RUN);
    registry.add("edgeloop.deploy.trust.signing-keys", TestSigningKey::publicKeyFile);
    registryProxy = EngineProxy.tcp(5000);
    registry.add("edgeloop.deploy.trust.registries", () -> REGISTRY + "," + registryProxy.address());
    port = FreePorts.next();
    registry.add("edgeloop.deploy.targets[0].name", () -> TARGET);
    registry.add("edgeloop.deploy.targets[0].kind", () -> "docker");
    registry.add("edgeloop.deploy.targets[0].connection.port", () -> Integer.toString(port));
    registry.add("edgeloop.deploy.targets[0].connection.drain", () -> "500ms");
    registry.add("edgeloop.deploy.targets[0].connection[label." + ModelServerImages.TEST_LABEL + "]", () -> RUN);
  }

  private static String tempDir() {
    try {
      return Files.createTempDirectory("deploy-signature-it").toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (registryProxy != null) {
      registryProxy.close();
    }
    ModelServerImages.removeTestContainers(RUN);
    TestImages.removeFromEngine();
  }

  @Test
  @Order(1)
  void shouldDeployAnImageSignedByTheTrustedKey() throws Exception {
    push(TestImages.v1());

    awaitDeployment(1, "deployed");
    assertThat(InferLoad.inferOnce(port, MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    assertThat(events()).filteredOn(e -> e.modelVersion() == 1).extracting(ModelDeployed::status)
        .containsExactly(DeploymentOutcome.DEPLOYED);
  }

  @Test
  @Order(2)
  void shouldRejectAnUnsignedImage() throws Exception {
    String copy = RegistryCopy.copy(repository(TestImages.v2()), TestImages.v2().digest(), "edgeloop-test/" + RUN + "-unsigned", "2");

    assertRejected(new Release(MODEL, 2, copy, TestImages.v2().digest()),
        "unsigned: not signed: no signature is stored for " + TestImages.v2().digest() + " (tag "
            + CosignSignatures.tag(TestImages.v2().digest()) + ")");
  }

  @Test
  @Order(3)
  void shouldRejectAnImageSignedByAForeignKey() throws Exception {
    String copy = RegistryCopy.copy(repository(TestImages.v2()), TestImages.v2().digest(), "edgeloop-test/" + RUN + "-foreign", "3");
    TestSigningKey.sign(copy + "@" + TestImages.v2().digest(), SigningKeys.generate());

    assertRejected(new Release(MODEL, 3, copy, TestImages.v2().digest()),
        "bad_signature: signed by an unknown key (edgeloop.deploy.trust.signing-keys): 1 signature(s) stored for "
            + TestImages.v2().digest() + ", none verifies with the 1 trusted key(s)");
  }

  @Test
  @Order(4)
  void shouldRejectASignatureMadeForAnotherDigest() throws Exception {
    String repository = "edgeloop-test/" + RUN + "-moved";
    String signed = RegistryCopy.copy(repository(TestImages.v1()), TestImages.v1().digest(), repository, "4");
    TestSigningKey.sign(signed + "@" + TestImages.v1().digest(), TestSigningKey.keys());
    // The tag moves to another image, and the genuine signature is copied beside it.
    String moved = RegistryCopy.copy(repository(TestImages.v2()), TestImages.v2().digest(), repository, "4");
    CosignSignatures store = new CosignSignatures(RegistryClient.anonymous());
    CosignSignatures.Entry genuine = store.read(ImageReference.parse(signed + "@" + TestImages.v1().digest())).get(0);
    store.add(ImageReference.parse(moved + "@" + TestImages.v2().digest()), genuine.payload(), genuine.signature());

    assertRejected(new Release(MODEL, 4, moved, TestImages.v2().digest()),
        "digest_mismatch: the signature was made for another digest: key " + SigningKeys.keyId(TestSigningKey.keys().getPublic())
            + " signed digest " + TestImages.v1().digest() + ", not " + TestImages.v2().digest());
  }

  @Test
  @Order(5)
  void shouldWaitForAnUnreachableRegistryAndDeployOnceItAnswersAgain() throws Exception {
    // The image, signed, in a registry the test can take away (a port forwarding to 127.0.0.1:5000).
    String repository = "edgeloop-test/" + RUN + "-outage";
    RegistryCopy.copy(repository(TestImages.v2()), TestImages.v2().digest(), repository, "5");
    String behindProxy = registryProxy.address() + "/" + repository + ":5";
    TestSigningKey.sign(behindProxy + "@" + TestImages.v2().digest(), TestSigningKey.keys());
    registryProxy.goAway();
    double handled = received();

    push(new Release(MODEL, 5, behindProxy, TestImages.v2().digest()));
    Thread.sleep(8_000); // several retries (1 s, 2 s, 2 s, ...) against the unreachable registry
    assertThat(received()).as("the event is not handled while the registry is away").isEqualTo(handled);
    assertThat(deployments()).as("no verdict while the registry is away").noneMatch(d -> d.path("modelVersion").asInt() == 5);
    assertThat(events()).noneMatch(e -> e.modelVersion() == 5);

    registryProxy.comeBack();
    awaitDeployment(5, "deployed");
    assertThat(InferLoad.inferOnce(port, MODEL)).isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));
    assertThat(events()).filteredOn(e -> e.modelVersion() == 5).extracting(ModelDeployed::status)
        .containsExactly(DeploymentOutcome.DEPLOYED);
  }

  // --- helpers

  /** The rejection is recorded and announced with {@code reason}, and nothing of the image was pulled or started. */
  private void assertRejected(Release image, String reason) throws Exception {
    push(image);

    JsonNode rejected = awaitDeployment(image.modelVersion(), "rejected");
    assertThat(rejected.path("message").asText()).isEqualTo("image rejected: " + reason);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events())
        .filteredOn(e -> e.modelVersion() == image.modelVersion())
        .extracting(ModelDeployed::status, ModelDeployed::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(DeploymentOutcome.REJECTED, "image rejected: " + reason)));
    String version = Integer.toString(image.modelVersion());
    assertThat(ModelServerImages.output(List.of("docker", "events", "--since", Long.toString(STARTED), "--until",
        Long.toString(Instant.now().getEpochSecond() + 1), "--filter", "type=container", "--filter",
        "label=" + ModelServerImages.TEST_LABEL + "=" + RUN, "--filter", "label=io.edgeloop.model.version=" + version)))
        .as("the engine never created or started a container of the rejected image").isBlank();
    String pinned = image.imageReference().substring(0, image.imageReference().lastIndexOf(':')) + "@" + image.digest();
    assertThat(ModelServerImages.run(List.of("docker", "image", "inspect", pinned)))
        .as("the engine never pulled %s", pinned).isNotZero();
    assertThat(InferLoad.inferOnce(port, MODEL)).as("v1 keeps serving").isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
  }

  private static String repository(Release release) {
    return ImageReference.parse(release.imageReference()).repository();
  }

  private void push(Release release) throws Exception {
    ImagePushed event = new ImagePushed(release.modelName(), release.modelVersion(), release.imageReference(),
        release.digest(), 100_000_000L, Map.of("io.edgeloop.model.name", release.modelName()), true,
        List.of(ModelPromoted.CHAMPION), Instant.now());
    var record = new EventCodec().toRecord(event, URI.create("urn:test"));
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(RUN + ".image-pushed", null, record.key(),
          record.value(), record.headers())).get();
    }
  }

  private double received() {
    var counter = meters.find("edgeloop.events.received").tag("type", "edgeloop.image.pushed.v1").counter();
    return counter == null ? 0 : counter.count();
  }

  private JsonNode awaitDeployment(int version, String status) {
    return api().awaitDeployment(TARGET, version, status, null);
  }

  private List<JsonNode> deployments() throws Exception {
    List<JsonNode> list = new java.util.ArrayList<>();
    api().get("/api/deployments?target=" + TARGET).forEach(list::add);
    return list;
  }

  private DeployApiClient api() {
    if (api == null) {
      api = new DeployApiClient(context, apiPort, Role.VIEWER);
    }
    return api;
  }

  private static List<ModelDeployed> events() {
    return DeployApiClient.events(TARGET);
  }
}
