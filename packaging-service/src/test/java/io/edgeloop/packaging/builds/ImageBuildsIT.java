package io.edgeloop.packaging.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.imagetrust.ImageVerifier;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.OwnRegistry;
import io.edgeloop.packaging.image.BuiltImage;
import io.edgeloop.packaging.image.ImageBuildException;
import io.edgeloop.packaging.image.ImageBuilder;
import io.edgeloop.packaging.image.ImageRequest;
import io.edgeloop.packaging.image.JibImageBuilderTestSupport;
import io.edgeloop.packaging.smoke.NoSmokeTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds against real registries (the shared one on 5000, and one of the test's own that it stops
 * for 30 s), on a real PostgreSQL, run by the real worker: transient failures are retried until the
 * registry is back and the image is then announced exactly once; a build whose instance died is
 * taken over when its lease runs out; two instances on one database never build one version twice at
 * once, and build it again only as a retry they recorded.
 */
class ImageBuildsIT {
  @TempDir Path dir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void shouldAnnounceTheImageExactlyOnceAfterA30SecondRegistryOutage() throws Exception {
    Infrastructure.assumeJlink();
    try (OwnRegistry registry = OwnRegistry.start(dir.resolve("registry"))) {
      // A loopback registry: plain HTTP without allow-insecure.
      ImageBuildsMother.Instance packaging = ImageBuildsMother.instance(ImageBuildsMother.properties(Map.of(
              "registry", registry.address(), "repository-prefix", "outage", "retry.initial-delay", "500ms",
              "retry.max-delay", "4s", "poll-interval", "200ms")),
          ImageBuildsMother.database(), dir, meters);
      ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
      BuildWorker worker = worker(packaging);

      registry.down();
      long outageStart = System.nanoTime();
      packaging.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("pkg"), true)));
      worker.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> packaging.record("toy", 1).attempts() >= 3);
        BuildRecord retrying = packaging.record("toy", 1);
        assertThat(retrying.status()).isIn(BuildStatus.RETRYING, BuildStatus.BUILDING);
        Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
        assertThat(packaging.outbox(EventType.IMAGE_PUSHED)).as("nothing announced during the outage").isEmpty();
        assertThat(packaging.record("toy", 1).reasonCode()).isEqualTo(BuildFailureReason.REGISTRY_UNREACHABLE);
        registry.up();

        await().atMost(Duration.ofSeconds(180)).until(() -> packaging.record("toy", 1).status() == BuildStatus.PUSHED);
        Thread.sleep(2000); // the worker keeps polling: nothing more may be announced
      } finally {
        worker.stop();
      }

      BuildRecord pushed = packaging.record("toy", 1);
      List<String> announced = packaging.outbox(EventType.IMAGE_PUSHED);
      assertThat(announced).hasSize(1);
      ImagePushed event = EventCodec.objectMapper().readValue(announced.get(0), ImagePushed.class);
      assertThat(event.digest()).isEqualTo(pushed.digest());
      assertThat(event.imageReference()).isEqualTo(registry.address() + "/outage/toy:1");
      assertThat(packaging.outbox(EventType.IMAGE_BUILD_FAILED)).isEmpty();
      assertThat(pushed.attempts()).isGreaterThanOrEqualTo(3);
      assertThat(pushed.signed()).isTrue();
      // The registry has the image under that digest, and its signature verifies with packaging's key.
      new ImageVerifier(RegistryClient.anonymous(), List.of(registry.address() + "/outage/"))
          .verify(event.imageReference() + "@" + event.digest(), List.of(ImageBuildsMother.KEYS.getPublic()));
    }
  }

  @Test
  void shouldGiveUpOnAnUnreachableRegistryAfterTheConfiguredTimeAndAnnounceTheFailure() throws Exception {
    Infrastructure.assumeJlink();
    ImageBuildsMother.Instance packaging = ImageBuildsMother.instance(ImageBuildsMother.properties(Map.of(
            "registry", "127.0.0.1:1", "retry.initial-delay", "200ms", "retry.give-up-after", "2s", "poll-interval", "100ms")),
        ImageBuildsMother.database(), dir, meters);
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    packaging.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("pkg"), true)));
    BuildWorker worker = worker(packaging);

    worker.start();
    try {
      await().atMost(Duration.ofSeconds(240)).until(() -> packaging.record("toy", 1).status() == BuildStatus.FAILED);
    } finally {
      worker.stop();
    }

    BuildRecord record = packaging.record("toy", 1);
    assertThat(record.reasonCode()).isEqualTo(BuildFailureReason.REGISTRY_UNREACHABLE);
    assertThat(record.reason()).startsWith("registry unreachable (127.0.0.1:1)").contains("(gave up after");
    assertThat(record.attempts()).isGreaterThan(1);
    assertThat(packaging.outbox(EventType.IMAGE_BUILD_FAILED)).singleElement()
        .satisfies(json -> assertThat(json).contains("\"reason\":\"registry_unreachable\""));
  }

  @Test
  void shouldFinishABuildWhoseInstanceDiedOnceItsLeaseRanOut() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    DataSource db = ImageBuildsMother.database();
    Map<String, String> config = Map.of("registry", Infrastructure.REGISTRY, "repository-prefix", prefix(), "lease", "2s");
    ImageBuildsMother.Instance dead = ImageBuildsMother.instance(ImageBuildsMother.properties(config), db, dir, meters);
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    dead.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("pkg"), true)));
    // The first instance claims the build and dies mid-build: no heartbeat, nothing more.
    assertThat(dead.repository().claimNext("instance-that-died", Duration.ofSeconds(2))).isPresent();
    ImageBuildsMother.Instance survivor = ImageBuildsMother.instance(ImageBuildsMother.properties(config), db, dir, meters);

    assertThat(survivor.builds().buildNext()).as("leased to the dead instance still").isFalse();
    await().atMost(Duration.ofSeconds(30)).until(() -> survivor.builds().buildNext());

    BuildRecord record = survivor.record("toy", 1);
    assertThat(record.status()).isEqualTo(BuildStatus.PUSHED);
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(survivor.outbox(EventType.IMAGE_PUSHED)).hasSize(1);
  }

  /**
   * An instance with a configured id is killed mid-build and started again with the same id: its
   * new process neither keeps the old claim alive with its heartbeat (the build would then wait
   * forever: the replicas loop's kill test found that) nor waits for the lease to run out, but takes
   * the build up at once.
   */
  @Test
  void shouldTakeUpAtOnceABuildAnEarlierProcessOfTheSameInstanceIdLeft() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    DataSource db = ImageBuildsMother.database();
    Map<String, String> config = Map.of("registry", Infrastructure.REGISTRY, "repository-prefix", prefix(), "lease", "10m",
        "instance-id", "packaging-restarted");
    ImageBuildsMother.Instance before = ImageBuildsMother.instance(ImageBuildsMother.properties(config), db, dir, meters);
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    before.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("pkg"), true)));
    assertThat(before.repository().claimNext("packaging-restarted", Duration.ofMinutes(10))).isPresent();

    ImageBuildsMother.Instance after = ImageBuildsMother.instance(ImageBuildsMother.properties(config), db, dir, meters);
    assertThat(after.builds().renewLeases()).as("the heartbeat of a process that builds nothing renews nothing").isZero();
    BuildWorker worker = worker(after);
    worker.start();
    try {
      // Well inside the 10-minute lease: only a release at start lets it be built now.
      await().atMost(Duration.ofMinutes(4)).until(() -> after.record("toy", 1).status() == BuildStatus.PUSHED);
    } finally {
      worker.stop();
    }
    assertThat(after.record("toy", 1).attempts()).isEqualTo(2);
    assertThat(after.outbox(EventType.IMAGE_PUSHED)).hasSize(1);
  }

  @Test
  void shouldNeverBuildOneVersionTwiceWithTwoInstancesOnOneDatabase() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    DataSource db = ImageBuildsMother.database();
    Map<String, String> config = Map.of("registry", Infrastructure.REGISTRY, "repository-prefix", prefix(), "poll-interval", "100ms");
    // Every build call with when it ran: two calls for one version may be a retry after a transient
    // failure (both instances push the same base blobs to one repository, which a registry may refuse
    // for one of them), never two at once, and each must be an attempt the database counted.
    List<BuildCall> calls = Collections.synchronizedList(new ArrayList<>());
    ImageBuilder real = JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir());
    ImageBuilder counting = new ImageBuilder() {
      @Override
      public BuiltImage build(ImageRequest request) throws ImageBuildException, InterruptedException {
        long start = System.nanoTime();
        String outcome = "threw";
        try {
          BuiltImage image = real.build(request);
          outcome = "built";
          return image;
        } catch (ImageBuildException e) {
          outcome = "failed: " + e.getMessage();
          throw e;
        } finally {
          calls.add(new BuildCall(request.target(), start, System.nanoTime(), outcome));
        }
      }
    };
    ImageBuildsMother.Instance a = ImageBuildsMother.instance(ImageBuildsMother.properties(config), db, dir, meters, counting, new NoSmokeTest());
    ImageBuildsMother.Instance b = ImageBuildsMother.instance(ImageBuildsMother.properties(config), db, dir, meters, counting, new NoSmokeTest());
    for (int v = 1; v <= 4; v++) {
      ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg" + v), "toy", v, v, 1f, 0f);
      ModelTrained event = ModelPackageMother.trained(m, dir.resolve("pkg" + v), true);
      a.requests().onModelTrained(ImageBuildsMother.received(event));
      b.requests().onModelTrained(ImageBuildsMother.received(event)); // the same event reaching the other instance
    }
    BuildWorker workerA = worker(a);
    BuildWorker workerB = worker(b);

    workerA.start();
    workerB.start();
    try {
      await().atMost(Duration.ofSeconds(300)).until(() -> a.outbox(EventType.IMAGE_PUSHED).size() == 4
          || a.jdbc().queryForObject("select count(*) from build where status = 'failed'", Integer.class) > 0);
      Thread.sleep(1000);
    } finally {
      workerA.stop();
      workerB.stop();
    }

    assertThat(a.outbox(EventType.IMAGE_PUSHED)).hasSize(4);
    assertThat(calls.stream().map(BuildCall::target).distinct()).hasSize(4);
    for (int v = 1; v <= 4; v++) {
      String target = Infrastructure.REGISTRY + "/" + config.get("repository-prefix") + "/toy:" + v;
      List<BuildCall> ofVersion = calls.stream().filter(c -> c.target().equals(target)).toList();
      assertThat(ofVersion).as("build calls of %s", target).isNotEmpty();
      for (int i = 0; i < ofVersion.size(); i++) {
        for (int j = i + 1; j < ofVersion.size(); j++) {
          BuildCall x = ofVersion.get(i);
          BuildCall y = ofVersion.get(j);
          assertThat(x.end() <= y.start() || y.end() <= x.start()).as("%s built twice at once: %s", target, ofVersion).isTrue();
        }
      }
      assertThat(a.record("toy", v).attempts()).as("every build call of %s is an attempt the database counted: %s", target, ofVersion)
          .isEqualTo(ofVersion.size());
    }
    // A call beyond one per version is only a retry the instances recorded, never a second build of a pushed image.
    double retried = meters.find("edgeloop.packaging.builds").tag("result", "retried").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    assertThat(calls.size() - 4).as("build calls beyond one per version: %s", calls).isEqualTo((int) retried);
    assertThat(a.jdbc().queryForList("select distinct owner from build", String.class)).containsOnlyNulls();
  }

  private record BuildCall(String target, long start, long end, String outcome) {}

  private static BuildWorker worker(ImageBuildsMother.Instance instance) {
    return new BuildWorker(instance.builds(), new PollLoops(Duration.ofSeconds(5), Duration.ofMinutes(5)),
        instance.properties().pollInterval(), instance.properties().lease(), null);
  }

  private static String prefix() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
