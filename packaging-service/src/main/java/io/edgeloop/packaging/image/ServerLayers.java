package io.edgeloop.packaging.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model server's jars as two layers under {@value #LIB_DIR}: third-party libraries (change
 * least often) and edgeloop's own jars (model server, model package, contracts). ONNX Runtime is
 * replaced by its Linux-x64-only repack.
 */
public final class ServerLayers {
  public static final String LIB_DIR = "/app/lib";
  public static final String MAIN_CLASS = "io.edgeloop.modelserver.ModelServerMain";

  private final Path libDir;
  private final LinuxOnlyOnnxRuntime onnxRuntime;

  public ServerLayers(Path libDir, LinuxOnlyOnnxRuntime onnxRuntime) {
    this.libDir = libDir;
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
    if (!Files.isDirectory(libDir)) {
      throw new IOException("the model server's jars are not at " + libDir.toAbsolutePath()
          + " (edgeloop.packaging.server-lib-dir; the packaging-service build writes them to target/model-server-lib)");
    }
    try (Stream<Path> files = Files.list(libDir)) {
      List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("edgeloop-model-server-"))) {
        throw new IOException("no edgeloop-model-server jar in " + libDir.toAbsolutePath());
      }
      return jars;
    }
  }

  private static boolean isEdgeloop(Path jar) {
    return jar.getFileName().toString().startsWith("edgeloop-");
  }
}
