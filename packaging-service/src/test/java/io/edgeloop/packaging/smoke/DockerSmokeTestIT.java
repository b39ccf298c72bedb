package io.edgeloop.packaging.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.image.BuiltImage;
import io.edgeloop.packaging.image.JibImageBuilder;
import io.edgeloop.packaging.image.JibImageBuilderTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke test on the real Docker engine: the image is pulled from the local registry by digest
 * and run with docker-java; its OIP v2 endpoints answer (metadata lists the signature, inference
 * reproduces the recorded samples). A corrupt ONNX graph fails with the container's own words.
 */
class DockerSmokeTestIT {
  static DockerClient docker;
  static JibImageBuilder builder;
  static String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeDocker();
    Infrastructure.assumeJlink();
    docker = DockerEngines.connect(Infrastructure.DOCKER_HOST);
    builder = JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir());
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void shouldRunThePushedImageAndReproduceTheRecordedSamples() throws Exception {
    ModelManifest manifest = ModelPackageMother.linear(dir, "toy", 1, 2f, -0.5f, 1f);
    BuiltImage image = builder.build(JibImageBuilderTestSupport.request(prefix,
        ModelPackageMother.trained(manifest, dir, true), dir));

    new DockerSmokeTest(docker, null, Duration.ofSeconds(60), 1e-4).check(image, dir, manifest, "1");

    assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(
        java.util.Map.of("io.edgeloop.smoke-test", image.reference())).exec()).as("container removed").isEmpty();
  }

  @Test
  void shouldServeTheRegistrysVersionWhereThePackageSaysZero() throws Exception {
    ModelManifest manifest = ModelPackageMother.linear(dir, "versioned", 0, 2f, -0.5f, 1f);
    BuiltImage image = builder.build(JibImageBuilderTestSupport.request(prefix,
        ModelPackageMother.trained(manifest, dir, true, 3), dir));
    DockerSmokeTest smoke = new DockerSmokeTest(docker, null, Duration.ofSeconds(60), 1e-4);

    smoke.check(image, dir, manifest, "3"); // metadata lists version 3 (and only it), inference works
    assertThatThrownBy(() -> smoke.check(image, dir, manifest, "0"))
        .isInstanceOf(SmokeTestException.class)
        .hasMessageContaining("the server serves versions [\"3\"], not the registry's 0");
  }

  @Test
  void shouldFailWithTheServersReasonWhenTheModelIsCorrupt() throws Exception {
    ModelManifest manifest = ModelPackageMother.corrupt(dir, "broken", 1);
    BuiltImage image = builder.build(JibImageBuilderTestSupport.request(prefix,
        ModelPackageMother.trained(manifest, dir, true), dir));

    assertThatThrownBy(() -> new DockerSmokeTest(docker, null, Duration.ofSeconds(60), 1e-4).check(image, dir, manifest, "1"))
        .isInstanceOf(SmokeTestException.class)
        .hasMessageContaining("stopped before it was ready")
        .hasMessageContaining("container log:");
  }
}
