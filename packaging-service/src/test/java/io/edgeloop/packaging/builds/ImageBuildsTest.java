package io.edgeloop.packaging.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.PromotionCause;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.ModelPackageMother;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build flow's decisions that need no registry, on a real PostgreSQL with the service's schema:
 * policy, promotion, deduplication, and packages that cannot be built (a permanent failure, announced).
 */
class ImageBuildsTest {
  @TempDir Path dir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  ImageBuildsMother.Instance instance(Map<String, String> config) throws Exception {
    return ImageBuildsMother.instance(ImageBuildsMother.properties(config), ImageBuildsMother.database(), dir, meters);
  }

  @Test
  void shouldSkipAVersionThatIsNotPromotedUnderPromotedOnlyAndBuildItWhenItIsPromotedLater() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 2, 1f, 1f, 0f);
    ImageBuildsMother.Instance packaging = instance(Map.of());

    packaging.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("pkg"), false)));

    BuildRecord skipped = packaging.record("toy", 2);
    assertThat(skipped.status()).isEqualTo(BuildStatus.SKIPPED);
    assertThat(skipped.reason()).contains("promoted-only");
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "skipped").count()).isEqualTo(1);

    packaging.requests().onModelPromoted(ImageBuildsMother.received(promoted("toy", 2, 17)));

    BuildRecord queued = packaging.record("toy", 2);
    assertThat(queued.status()).isEqualTo(BuildStatus.QUEUED);
    assertThat(queued.promoted()).isTrue();
    assertThat(queued.aliases()).containsExactly("champion");
  }

  @Test
  void shouldQueueAVersionPromotedBeforeItsModelTrainedArrived() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 3, 1f, 1f, 0f);
    ImageBuildsMother.Instance packaging = instance(Map.of());

    packaging.requests().onModelPromoted(ImageBuildsMother.received(promoted("toy", 3, 20)));
    assertThat(packaging.record("toy", 3).status()).isEqualTo(BuildStatus.AWAITING_MODEL);
    packaging.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("pkg"), false)));

    BuildRecord queued = packaging.record("toy", 3);
    assertThat(queued.status()).isEqualTo(BuildStatus.QUEUED);
    assertThat(queued.promoted()).as("promoted after training").isTrue();
  }

  @Test
  void shouldRecordAModelTrainedDeliveredTwiceOnce() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ImageBuildsMother.Instance packaging = instance(Map.of());
    ModelTrained event = ModelPackageMother.trained(m, dir.resolve("pkg"), true);

    packaging.requests().onModelTrained(ImageBuildsMother.received(event));
    packaging.requests().onModelTrained(ImageBuildsMother.received(event));

    assertThat(packaging.jdbc().queryForObject("select count(*) from build", Integer.class)).isEqualTo(1);
    assertThat(packaging.jdbc().queryForObject("select count(*) from processed_event", Integer.class)).isEqualTo(1);
    assertThat(packaging.record("toy", 1).status()).isEqualTo(BuildStatus.QUEUED);
  }

  @Test
  void shouldFailAtOnceAndAnnounceItWhenThePackageDoesNotMatchTheEvent() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ModelTrained event = ModelPackageMother.trained(m, dir.resolve("pkg"), true);
    ModelTrained tampered = new ModelTrained(event.modelName(), event.modelVersion(), event.runId(), event.experiment(),
        event.primaryMetric(), event.metrics(), event.onnxUri(), "f".repeat(64), event.packageUri(), event.signature(),
        event.lineage(), event.tags(), true, event.trainedAt());
    ImageBuildsMother.Instance packaging = instance(Map.of());

    packaging.requests().onModelTrained(ImageBuildsMother.received(tampered));
    assertThat(packaging.builds().buildNext()).isTrue();

    BuildRecord record = packaging.record("toy", 1);
    assertThat(record.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(record.reasonCode()).isEqualTo(BuildFailureReason.INVALID_PACKAGE);
    assertThat(record.reason()).contains("but the event announced " + "f".repeat(64));
    assertThat(record.attempts()).as("permanent: not retried").isEqualTo(1);
    assertThat(packaging.outbox(EventType.IMAGE_BUILD_FAILED)).singleElement().satisfies(json -> assertThat(json)
        .contains("\"reason\":\"invalid_package\"", "\"attempt\":1", "but the event announced"));
    assertThat(packaging.outbox(EventType.IMAGE_PUSHED)).isEmpty();
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "failed").count()).isEqualTo(1);
    assertThat(packaging.builds().buildNext()).as("nothing left to build").isFalse();
  }

  @Test
  void shouldFailWhenThePackageIsMissing() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ImageBuildsMother.Instance packaging = instance(Map.of());

    packaging.requests().onModelTrained(ImageBuildsMother.received(ModelPackageMother.trained(m, dir.resolve("elsewhere"), true)));
    packaging.builds().buildNext();

    BuildRecord record = packaging.record("toy", 1);
    assertThat(record.reasonCode()).isEqualTo(BuildFailureReason.INVALID_PACKAGE);
    assertThat(record.reason()).startsWith("cannot read the model package: no model package directory at");
  }

  static ModelPromoted promoted(String model, int version, long sequence) {
    return new ModelPromoted(model, ModelPromoted.CHAMPION, version, null, AliasChange.ASSIGNED, PromotionCause.MANUAL,
        sequence, Instant.parse("2026-11-23T10:00:00Z"));
  }
}
