package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.RegistryApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images on edgeloop's jlinked runtime and pushes them to the local registry (127.0.0.1:5000):
 * small, reproducible, and a new model version (or a new model) uploads only its model layer and config.
 * Slow on the first run of a checkout (jlink, ~10 s; cached in target/packaging-cache).
 */
class JibImageBuilderIT {
  @TempDir Path dir;

  @Test
  void shouldBuildASmallReproducibleImageAndPushOnlyTheModelLayerForANewVersion() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    JibImageBuilder builder = JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir());
    ModelManifest m1 = ModelPackageMother.linear(dir.resolve("v1"), "toy", 1, 2f, -0.5f, 1f);
    ModelTrained v1 = ModelPackageMother.trained(m1, dir.resolve("v1"), true);

    long start = System.nanoTime();
    BuiltImage first = builder.build(JibImageBuilderTestSupport.request(prefix, v1, dir.resolve("v1")));
    long firstMillis = (System.nanoTime() - start) / 1_000_000;

    String repository = prefix + "/toy";
    assertThat(first.digest()).isEqualTo(RegistryApi.digest(repository, "1"));
    assertThat(first.sizeBytes()).as("image size").isGreaterThan(10_000_000).isLessThan(80L * 1024 * 1024);
    JsonNode manifest1 = RegistryApi.manifest(repository, "1");
    List<String> layers1 = RegistryApi.layerDigests(manifest1);
    assertThat(layers1).as("system, jre, server libraries, server, model").hasSize(5);
    JsonNode config = RegistryApi.config(repository, manifest1).path("config");
    assertThat(config.path("Labels").path("io.edgeloop.model.name").asText()).isEqualTo("toy");
    assertThat(config.path("Labels").path("io.edgeloop.model.onnx-sha256").asText()).isEqualTo(m1.onnxSha256());
    assertThat(config.path("Labels").path("io.edgeloop.model.dataset-versions").asText()).isEqualTo("toy@3");
    assertThat(config.path("Labels").path("org.opencontainers.image.created").asText()).isEqualTo("2026-11-22T12:00:00Z");
    assertThat(config.path("Entrypoint").toString()).contains("/opt/java/bin/java", "io.edgeloop.modelserver.ModelServerMain");

    // Same package again, from another directory with other file times: the same digest.
    Path copy = dir.resolve("v1-copy");
    Files.createDirectories(copy);
    for (String f : List.of("model.onnx", "edgeloop-model.json")) {
      Files.copy(dir.resolve("v1").resolve(f), copy.resolve(f));
      Files.setLastModifiedTime(copy.resolve(f), FileTime.from(Instant.now()));
    }
    BuiltImage again = builder.build(JibImageBuilderTestSupport.request(prefix, v1, copy));
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(again.pushedBytes()).as("nothing new to upload").isZero();
    assertThat(again.sizeBytes()).isEqualTo(first.sizeBytes());

    // A new version: every layer but the model's is reused; only the model layer and the config are sent.
    ModelManifest m2 = ModelPackageMother.linear(dir.resolve("v2"), "toy", 2, 1.5f, 0.25f, -2f);
    ModelTrained v2 = ModelPackageMother.trained(m2, dir.resolve("v2"), true);
    start = System.nanoTime();
    BuiltImage second = builder.build(JibImageBuilderTestSupport.request(prefix, v2, dir.resolve("v2")));
    long secondMillis = (System.nanoTime() - start) / 1_000_000;
    JsonNode manifest2 = RegistryApi.manifest(repository, "2");
    List<String> layers2 = RegistryApi.layerDigests(manifest2);
    assertThat(layers2.subList(0, 4)).isEqualTo(layers1.subList(0, 4));
    assertThat(layers2.get(4)).isNotEqualTo(layers1.get(4));
    long modelLayer = manifest2.path("layers").get(4).path("size").asLong();
    long configBlob = manifest2.path("config").path("size").asLong();
    assertThat(second.uploadedBlobs()).as("model layer + config").isEqualTo(2);
    assertThat(second.pushedBytes()).isEqualTo(modelLayer + configBlob);
    long layersAndConfig = configBlob;
    for (JsonNode layer : manifest2.path("layers")) {
      layersAndConfig += layer.path("size").asLong();
    }
    assertThat(second.sizeBytes()).isEqualTo(layersAndConfig);

    // A new model in the same registry prefix: the runtime and server layers are mounted, not uploaded.
    ModelManifest other = ModelPackageMother.linear(dir.resolve("other"), "other", 1, 3f, 1f, 0f);
    BuiltImage otherImage = builder.build(JibImageBuilderTestSupport.request(prefix,
        ModelPackageMother.trained(other, dir.resolve("other"), true), dir.resolve("other")));
    assertThat(otherImage.uploadedBlobs()).as("model layer + config").isEqualTo(2);
    assertThat(RegistryApi.layerDigests(RegistryApi.manifest(prefix + "/other", "1")).subList(0, 4))
        .isEqualTo(layers1.subList(0, 4));

    System.out.printf("[packaging] image %.1f MB (%d bytes, %d blobs); first build+push %d ms (%d bytes uploaded);"
            + " v2 build+push %d ms, %d bytes uploaded (model layer %d + config %d); a new model uploaded %d bytes%n",
        first.sizeBytes() / 1e6, first.sizeBytes(), first.blobs(), firstMillis, first.pushedBytes(), secondMillis,
        second.pushedBytes(), modelLayer, configBlob, otherImage.pushedBytes());
  }

  @Test
  void shouldSayTheRegistryIsUnreachable() throws Exception {
    Infrastructure.assumeJlink();
    ModelManifest m1 = ModelPackageMother.linear(dir.resolve("v1"), "toy", 1, 2f, -0.5f, 1f);
    ModelTrained v1 = ModelPackageMother.trained(m1, dir.resolve("v1"), true);
    ImageRequest request = new ImageRequest(ImageLabels.reference("127.0.0.1:1", "it", v1), dir.resolve("v1"), java.util.Map.of(), java.util.Map.of());

    assertThatThrownBy(() -> JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir()).build(request))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageStartingWith("registry unreachable (127.0.0.1:1)");
  }

  @Test
  void shouldCallARegistryThatNeverAnswersUnreachableNotAStop() throws Exception {
    Infrastructure.assumeJlink();
    ModelManifest m1 = ModelPackageMother.linear(dir.resolve("v1"), "toy", 1, 2f, -0.5f, 1f);
    ModelTrained v1 = ModelPackageMother.trained(m1, dir.resolve("v1"), true);
    String previousTimeout = System.getProperty("jib.httpTimeout");
    // Accepts connections and never answers: every read times out (a SocketTimeoutException, which
    // is an InterruptedIOException but no interrupt: the build must be retried, not released as stopped).
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        List<Socket> held = new ArrayList<>();
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept());
          } catch (IOException closed) {
            return;
          }
        }
      }, "silent-registry");
      acceptor.setDaemon(true);
      acceptor.start();
      System.setProperty("jib.httpTimeout", "1000");
      String registry = "127.0.0.1:" + silent.getLocalPort();
      ImageRequest request = new ImageRequest(ImageLabels.reference(registry, "it", v1), dir.resolve("v1"), java.util.Map.of(), java.util.Map.of());

      assertThatThrownBy(() -> JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir()).build(request))
          .isInstanceOfSatisfying(ImageBuildException.class, e -> {
            assertThat(e.reason()).isEqualTo(BuildFailureReason.REGISTRY_UNREACHABLE);
            assertThat(e.isTransient()).isTrue();
          })
          .hasMessageStartingWith("registry unreachable (" + registry + ")");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    } finally {
      if (previousTimeout == null) {
        System.clearProperty("jib.httpTimeout");
      } else {
        System.setProperty("jib.httpTimeout", previousTimeout);
      }
    }
  }

  @Test
  void shouldBuildOnARegistryBaseImageAndSayWhenTheBaseIsMissing() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    Path cache = Infrastructure.cacheDir();
    ModelManifest m1 = ModelPackageMother.linear(dir.resolve("v1"), "toy", 1, 2f, -0.5f, 1f);
    ModelTrained v1 = ModelPackageMother.trained(m1, dir.resolve("v1"), true);
    // A base with java on its PATH, from the local registry (Docker Hub is out of reach): edgeloop's own runtime image.
    BuiltImage base = JibImageBuilderTestSupport.jlinkBuilder(cache)
        .build(JibImageBuilderTestSupport.request(prefix + "/base", v1, dir.resolve("v1")));
    JibImageBuilder onBase = JibImageBuilderTestSupport.registryBaseBuilder(cache, base.pinnedReference());

    BuiltImage image = onBase.build(JibImageBuilderTestSupport.request(prefix, v1, dir.resolve("v1")));

    JsonNode manifest = RegistryApi.manifest(prefix + "/toy", "1");
    List<String> layers = RegistryApi.layerDigests(manifest);
    assertThat(layers).as("the base's 5 layers, then server libraries, server, model").hasSize(8);
    assertThat(layers.subList(0, 5)).isEqualTo(RegistryApi.layerDigests(RegistryApi.manifest(prefix + "/base/toy", "1")));
    assertThat(RegistryApi.config(prefix + "/toy", manifest).path("config").path("Entrypoint").get(0).asText())
        .isEqualTo("java");
    assertThat(image.pushedBytes()).as("base layers are mounted from the base repository, not uploaded")
        .isLessThan(image.sizeBytes() - base.sizeBytes() / 2);

    JibImageBuilder missing = JibImageBuilderTestSupport.registryBaseBuilder(cache,
        Infrastructure.REGISTRY + "/" + prefix + "/no-such-base:1");
    assertThatThrownBy(() -> missing.build(JibImageBuilderTestSupport.request(prefix, v1, dir.resolve("v1"))))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageStartingWith("base image " + Infrastructure.REGISTRY + "/" + prefix + "/no-such-base:1 not found");
  }
}
