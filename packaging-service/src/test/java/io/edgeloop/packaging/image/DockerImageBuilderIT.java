package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.RegistryApi;
import io.edgeloop.packaging.smoke.DockerEngines;
import io.edgeloop.packaging.smoke.DockerSmokeTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-java builder makes the same layout on the Docker engine and pushes it: the image passes
 * the smoke test, and a second model version pushes only its model layer. Slow (the engine copies
 * every layer on vfs storage).
 */
class DockerImageBuilderIT {
  @TempDir Path dir;

  @Test
  void shouldBuildTheSameLayoutOnTheEngineAndPushOnlyTheModelLayerForANewVersion() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeDocker();
    Infrastructure.assumeJlink();
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    try (DockerClient docker = DockerEngines.connect(Infrastructure.DOCKER_HOST)) {
      DockerImageBuilder builder = new DockerImageBuilder(docker,
          JibImageBuilderTestSupport.jlinkLayout(Infrastructure.cacheDir()), null);
      ModelManifest m1 = ModelPackageMother.linear(dir.resolve("v1"), "toy", 1, 2f, -0.5f, 1f);
      // A bias of its own per run: the engine mounts layers it pushed before to any repository, so
      // the model layer must be new to the registry for the upload to be seen.
      float bias = new java.util.Random().nextInt(1_000_000) / 1000f;
      ModelManifest m2 = ModelPackageMother.linear(dir.resolve("v2"), "toy", 2, 1.5f, 0.25f, bias);

      long start = System.nanoTime();
      BuiltImage first = builder.build(JibImageBuilderTestSupport.request(prefix,
          ModelPackageMother.trained(m1, dir.resolve("v1"), true), dir.resolve("v1")));
      long firstMillis = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      BuiltImage second = builder.build(JibImageBuilderTestSupport.request(prefix,
          ModelPackageMother.trained(m2, dir.resolve("v2"), true), dir.resolve("v2")));
      long secondMillis = (System.nanoTime() - start) / 1_000_000;

      String repository = prefix + "/toy";
      assertThat(first.digest()).isEqualTo(RegistryApi.digest(repository, "1"));
      JsonNode manifest1 = RegistryApi.manifest(repository, "1");
      List<String> layers1 = RegistryApi.layerDigests(manifest1);
      List<String> layers2 = RegistryApi.layerDigests(RegistryApi.manifest(repository, "2"));
      assertThat(layers1).as("system, jre, server libraries, server, model").hasSize(5);
      assertThat(layers2.subList(0, 4)).isEqualTo(layers1.subList(0, 4));
      assertThat(layers2.get(4)).isNotEqualTo(layers1.get(4));
      assertThat(second.uploadedBlobs()).as("layers pushed for v2: the model's").isEqualTo(1);
      assertThat(RegistryApi.config(repository, manifest1).path("config").path("Labels").path("io.edgeloop.model.name")
          .asText()).isEqualTo("toy");

      new DockerSmokeTest(docker, null, Duration.ofSeconds(60), 1e-4).check(second, dir.resolve("v2"), m2, "2");
      // Untag v1 but keep its layers: they are the engine's build cache for the next run.
      docker.removeImageCmd(first.reference()).withNoPrune(true).exec();
      System.out.printf("[packaging] docker builder: v1 %d ms (%d bytes uncompressed), v2 %d ms, %d bytes pushed%n",
          firstMillis, first.sizeBytes(), secondMillis, second.pushedBytes());
    }
  }
}
