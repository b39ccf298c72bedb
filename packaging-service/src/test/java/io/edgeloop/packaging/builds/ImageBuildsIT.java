package io.edgeloop.packaging.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries against an unreachable registry, and idempotency per model version against the local registry (smoke test off). */
class ImageBuildsIT {
  @TempDir Path dir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void shouldRetryAndThenFailWithAClearReasonWhenTheRegistryIsUnreachable() throws Exception {
    Infrastructure.assumeJlink();
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ImageBuilds builds = ImageBuildsMother.imageBuilds(ImageBuildsMother.properties(Map.of("registry", "127.0.0.1:1",
        "retry.max-attempts", "2", "retry.initial-delay", "100ms")), dir, meters);

    Optional<ImagePushed> pushed = builds.build(ModelPackageMother.trained(m, dir.resolve("pkg"), true));

    assertThat(pushed).isEmpty();
    BuildRecord record = builds.list().get(0);
    assertThat(record.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.reason()).startsWith("registry unreachable (127.0.0.1:1)").endsWith("(gave up after 2 attempts)");
    assertThat(record.announced()).isFalse();
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "failed").count()).isEqualTo(1);
  }

  @Test
  void shouldNotBuildAVersionAgainAndReannounceOnlyWhatWasNeverAnnounced() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    Map<String, String> config = Map.of("registry", Infrastructure.REGISTRY, "allow-insecure", "true",
        "repository-prefix", "it-" + UUID.randomUUID().toString().substring(0, 8), "base-image", "jlink");
    ModelManifest m = ModelPackageMother.linear(dir.resolve("pkg"), "toy", 1, 1f, 1f, 0f);
    ModelTrained event = ModelPackageMother.trained(m, dir.resolve("pkg"), true);
    ImageBuilds builds = ImageBuildsMother.imageBuilds(ImageBuildsMother.properties(config), dir, meters);

    ImagePushed first = builds.build(event).orElseThrow();
    // Redelivered before it was announced (a crash between push and publish): the same image again, no build.
    ImagePushed again = builds.build(event).orElseThrow();
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(builds.list().get(0).attempts()).isEqualTo(1);
    builds.announced(again);

    // After a restart (a new instance on the same records), a redelivery is skipped.
    ImageBuilds restarted = ImageBuildsMother.imageBuilds(ImageBuildsMother.properties(config), dir, meters);
    assertThat(restarted.build(event)).isEmpty();

    BuildRecord record = restarted.list().get(0);
    assertThat(record.status()).isEqualTo(BuildStatus.PUSHED);
    assertThat(record.announced()).isTrue();
    assertThat(record.digest()).isEqualTo(first.digest());
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "pushed").count()).isEqualTo(1);
    assertThat(meters.counter("edgeloop.packaging.builds", "result", "skipped").count()).isEqualTo(2);
  }
}
