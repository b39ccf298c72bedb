package io.edgeloop.packaging.image;

import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.packaging.Infrastructure;
import java.nio.file.Path;
import java.util.List;

/** Builders and requests as the service configures them by default, for tests of the image parts. */
public final class JibImageBuilderTestSupport {
  public static final List<String> MODULES = io.edgeloop.modelserver.ModelServer.RUNTIME_MODULES;

  private JibImageBuilderTestSupport() {}

  /** The layout on the jlinked runtime. */
  public static ImageLayout jlinkLayout(Path cache) {
    JlinkRuntime runtime = new JlinkRuntime(Path.of(System.getProperty("java.home")),
        MODULES,
        List.of("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6",
            "/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libpthread.so.0",
            "/lib/x86_64-linux-gnu/librt.so.1", "/lib/x86_64-linux-gnu/libz.so.1",
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libgcc_s.so.1"),
        cache.resolve("runtime"));
    ServerLayers server = new ServerLayers(Infrastructure.serverLibDir(), null, new LinuxOnlyOnnxRuntime(cache.resolve("onnxruntime")));
    return new ImageLayout(null, runtime, server);
  }

  /** A builder on the jlinked runtime, pushing over plain HTTP (loopback registry). */
  public static JibImageBuilder jlinkBuilder(Path cache) {
    return new JibImageBuilder(jlinkLayout(cache), new JibImageBuilder.Settings(null, null, true, cache.resolve("jib")));
  }

  /** A builder on a registry base image (with java on its PATH). */
  public static JibImageBuilder registryBaseBuilder(Path cache, String baseImage) {
    ServerLayers server = new ServerLayers(Infrastructure.serverLibDir(), null, new LinuxOnlyOnnxRuntime(cache.resolve("onnxruntime")));
    return new JibImageBuilder(new ImageLayout(baseImage, null, server),
        new JibImageBuilder.Settings(null, null, true, cache.resolve("jib")));
  }

  public static ImageRequest request(String repository, ModelTrained model, Path packageDir) {
    return new ImageRequest(ImageLabels.reference(Infrastructure.REGISTRY, repository, model), packageDir,
        ImageLabels.of(model, "https://example.org/edgeloop"), ImageLabels.environment(model));
  }
}
