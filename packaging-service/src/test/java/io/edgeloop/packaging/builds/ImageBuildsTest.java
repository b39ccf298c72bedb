package io.edgeloop.packaging.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.ModelPackageMother;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build flow's decisions that need no registry: policy, and packages that cannot be built. */
class ImageBuildsTest {
  @TempDir Path dir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void shouldSkipAVersionThatIsNotPromotedUnderPromotedOnly() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 2, 1f, 1f, 0f);
    ImageBuilds builds = ImageBuildsMother.imageBuilds(ImageBuildsMother.properties(Map.of()), dir, meters);

    assertThat(builds.build(ModelPackageMother.trained(m, dir.resolve("pkg"), false))).isEmpty();

    BuildRecord record = builds.list().get(0);
    assertThat(record.status()).isEqualTo(BuildStatus.SKIPPED);
    assertThat(record.reason()).contains("promoted-only");
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "skipped").count()).isEqualTo(1);
  }

  @Test
  void shouldFailWhenThePackageDoesNotMatchTheEvent() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ModelTrained event = ModelPackageMother.trained(m, dir.resolve("pkg"), true);
    ModelTrained tampered = new ModelTrained(event.modelName(), event.modelVersion(), event.runId(), event.experiment(),
        event.primaryMetric(), event.metrics(), event.onnxUri(), "f".repeat(64), event.packageUri(), event.signature(),
        event.lineage(), event.tags(), true, event.trainedAt());
    ImageBuilds builds = ImageBuildsMother.imageBuilds(ImageBuildsMother.properties(Map.of()), dir, meters);

    assertThat(builds.build(tampered)).isEmpty();

    BuildRecord record = builds.list().get(0);
    assertThat(record.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(record.reason()).contains("but the event announced " + "f".repeat(64));
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "failed").count()).isEqualTo(1);
  }

  @Test
  void shouldFailWhenThePackageIsMissing() throws Exception {
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ImageBuilds builds = ImageBuildsMother.imageBuilds(ImageBuildsMother.properties(Map.of()), dir, meters);

    assertThat(builds.build(ModelPackageMother.trained(m, dir.resolve("elsewhere"), true))).isEmpty();

    assertThat(builds.list().get(0).reason()).startsWith("cannot read the model package: no model package directory at");
  }
}
