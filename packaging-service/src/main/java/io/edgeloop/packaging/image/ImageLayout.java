package io.edgeloop.packaging.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a serving image holds, whichever builder makes it. Layers, least to most often changed: the
 * runtime (a registry base image, or edgeloop's jlinked runtime on an empty base: {@code system} and
 * {@code jre}), the server's third-party libraries, edgeloop's server jars, and the model package
 * last, at {@value #MODEL_DIR}; plus how the server is started.
 */
public final class ImageLayout {
  public static final String MODEL_DIR = "/model";
  public static final int PORT = 8080;

  private final String baseImage;
  private final JlinkRuntime runtime;
  private final ServerLayers server;

  /**
   * @param baseImage a registry image with {@code java} on its PATH, or null for the jlinked runtime
   * @param runtime the jlinked runtime (used when {@code baseImage} is null)
   */
  public ImageLayout(String baseImage, JlinkRuntime runtime, ServerLayers server) {
    this.baseImage = baseImage;
    this.runtime = runtime;
    this.server = server;
  }

  /** The registry base image, or null when the image starts empty. */
  public String baseImage() {
    return baseImage;
  }

  /** The runtime layers on an empty base; none on a registry base. */
  public List<FileEntriesLayer> runtimeLayers() throws IOException {
    return baseImage == null ? List.of(runtime.systemLayer(), runtime.jreLayer()) : List.of();
  }

  /** The model server's jars: third-party libraries, then edgeloop's. */
  public List<FileEntriesLayer> serverLayers() throws IOException {
    return List.of(server.libraries(), server.server());
  }

  /** Every file of the package under {@value #MODEL_DIR}. */
  public static FileEntriesLayer modelLayer(Path packageDir) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("model");
    try (Stream<Path> files = Files.walk(packageDir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        layer.addEntry(file, AbsoluteUnixPath.get(MODEL_DIR).resolve(packageDir.relativize(file).toString()));
      }
    }
    return layer.build();
  }

  public List<String> entrypoint() {
    if (baseImage != null) {
      // A registry base (e.g. eclipse-temurin) has java on its PATH.
      return List.of("java", "-XX:+ExitOnOutOfMemoryError", "-cp", ServerLayers.LIB_DIR + "/*", ServerLayers.MAIN_CLASS);
    }
    // ONNX Runtime loads its native library: a runtime linked from JDK 24+ warns on stderr at that
    // unless native access is granted (the option is known since JDK 17, the oldest runtime made).
    return List.of(runtime.javaCommand(), "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-cp",
        ServerLayers.LIB_DIR + "/*", ServerLayers.MAIN_CLASS);
  }

  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (baseImage == null) {
      env.put("PATH", JlinkRuntime.JAVA_HOME + "/bin:/usr/bin:/bin");
      env.put("JAVA_HOME", JlinkRuntime.JAVA_HOME);
    }
    env.put("EDGELOOP_MODEL_DIR", MODEL_DIR);
    env.put("EDGELOOP_HOST", "0.0.0.0");
    env.put("EDGELOOP_PORT", Integer.toString(PORT));
    return env;
  }

  /** The unprivileged user the server runs as. */
  public String user() {
    return JlinkRuntime.USER;
  }

  /** All layers of the image of {@code packageDir}, in order. */
  public List<FileEntriesLayer> allLayers(Path packageDir) throws IOException {
    List<FileEntriesLayer> layers = new ArrayList<>(runtimeLayers());
    layers.addAll(serverLayers());
    layers.add(modelLayer(packageDir));
    return layers;
  }
}
