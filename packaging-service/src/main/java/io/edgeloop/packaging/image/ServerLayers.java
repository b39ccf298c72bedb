package io.edgeloop.packaging.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The model server's jars as two layers under {@value #LIB_DIR}: third-party libraries (change
 * least often) and edgeloop's own jars (model server, model package, contracts). ONNX Runtime is
 * replaced by its Linux-x64-only repack.
 */
public final class ServerLayers {
  public static final String LIB_DIR = "/app/lib";
  public static final String MAIN_CLASS = "io.edgeloop.modelserver.ModelServerMain";
  /** How every "the server's jars cannot be found" message starts (the failure reason {@code server_lib_missing}). */
  public static final String NOT_FOUND = "the model server's jars are not in";

  private final Path libDir;
  private final Path extractDir;
  private final LinuxOnlyOnnxRuntime onnxRuntime;
  private volatile List<Path> jars;

  /**
   * @param libDir a folder holding the jars, or null to find them ({@link ServerJars})
   * @param extractDir where the jars are copied out of this service's runnable jar, when it runs from one
   */
  public ServerLayers(Path libDir, Path extractDir, LinuxOnlyOnnxRuntime onnxRuntime) {
    this.libDir = libDir;
    this.extractDir = extractDir;
    this.onnxRuntime = onnxRuntime;
  }

  /** Third-party libraries. */
  public FileEntriesLayer libraries() throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("server-libraries");
    for (Path jar : jars()) {
      if (!isEdgeloop(jar)) {
        Path source = LinuxOnlyOnnxRuntime.isOnnxRuntime(jar) ? onnxRuntime.repack(jar) : jar;
        layer.addEntry(source, AbsoluteUnixPath.get(LIB_DIR).resolve(jar.getFileName().toString()));
      }
    }
    return layer.build();
  }

  /** edgeloop's jars: the model server and what it shares with the other modules. */
  public FileEntriesLayer server() throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("server");
    for (Path jar : jars()) {
      if (isEdgeloop(jar)) {
        layer.addEntry(jar, AbsoluteUnixPath.get(LIB_DIR).resolve(jar.getFileName().toString()));
      }
    }
    return layer.build();
  }

  private List<Path> jars() throws IOException {
    List<Path> found = jars;
    if (found == null) {
      found = ServerJars.find(libDir, extractDir);
      jars = found;
    }
    return found;
  }

  private static boolean isEdgeloop(Path jar) {
    return jar.getFileName().toString().startsWith("edgeloop-");
  }
}
