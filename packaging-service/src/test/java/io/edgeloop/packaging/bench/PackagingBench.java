package io.edgeloop.packaging.bench;

import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.imagetrust.ImageSigner;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.image.BuiltImage;
import io.edgeloop.packaging.image.ImageLabels;
import io.edgeloop.packaging.image.ImageRequest;
import io.edgeloop.packaging.image.JibImageBuilder;
import io.edgeloop.packaging.image.JibImageBuilderTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaging speed figures (bench/packaging/build-push.sh runs it; not part of the test suite):
 * on an empty cache, the start-up warm-up (jlink, the runtime and server layers, the server image
 * pushed) and then the build + push + sign of new model versions, as the service does them; and,
 * without a warm-up, a first image on an empty cache. Prints {@code [packaging-bench]} lines.
 */
class PackagingBench {
  @Test
  void printFigures() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    int versions = Integer.getInteger("bench.versions", 8);
    Path work = Files.createTempDirectory("packaging-bench-");
    ImageSigner signer = new ImageSigner(RegistryClient.anonymous(), SigningKeys.generate());

    // Cold, no warm-up: the first model pays for jlink, the runtime and server layers and their upload.
    String coldPrefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    JibImageBuilder cold = JibImageBuilderTestSupport.jlinkBuilder(work.resolve("cache-cold"));
    long t0 = System.nanoTime();
    BuiltImage first = buildAndSign(cold, signer, coldPrefix, work, "bench-cold", 1);
    print("cold first image (empty cache, no warm-up): %.2f s, %d bytes uploaded", seconds(t0), first.pushedBytes());

    // The service: warm-up at start-up (background), then models arrive.
    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    JibImageBuilder warm = JibImageBuilderTestSupport.jlinkBuilder(work.resolve("cache-warm"));
    long t1 = System.nanoTime();
    long warmUpBytes = warm.warmUp(Infrastructure.REGISTRY + "/" + prefix + "/warm-up:0");
    print("warm-up at start-up (empty cache: jlink, layers, server image pushed): %.2f s, %d bytes uploaded", seconds(t1),
        warmUpBytes);
    List<Double> times = new ArrayList<>();
    long bytes = 0;
    for (int v = 1; v <= versions; v++) {
      long t = System.nanoTime();
      BuiltImage image = buildAndSign(warm, signer, prefix, work, "bench-model", v);
      double s = seconds(t);
      times.add(s);
      if (v > 1) {
        bytes = image.pushedBytes();
      }
      print("version %d: build + push + sign %.2f s, %d bytes uploaded in %d blobs (image %d bytes)", v, s,
          image.pushedBytes(), image.uploadedBlobs(), image.sizeBytes());
    }
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    print("model image after warm-up: median %.2f s, max %.2f s over %d versions; a new version uploads %d bytes",
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), versions, bytes);
  }

  private static BuiltImage buildAndSign(JibImageBuilder builder, ImageSigner signer, String prefix, Path work, String name,
      int version) throws Exception {
    Path pkg = work.resolve(name + "-" + version);
    ModelManifest m = ModelPackageMother.linear(pkg, name, version, version, 1f, 0f);
    ModelTrained trained = ModelPackageMother.trained(m, pkg, true);
    BuiltImage image = builder.build(new ImageRequest(ImageLabels.reference(Infrastructure.REGISTRY, prefix, trained), pkg,
        ImageLabels.of(trained, "https://example.org/edgeloop"), ImageLabels.environment(trained)));
    signer.sign(image.pinnedReference());
    return image;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void print(String format, Object... args) {
    System.out.println("[packaging-bench] " + String.format(format, args));
  }
}
