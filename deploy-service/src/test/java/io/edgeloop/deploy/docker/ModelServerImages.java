package io.edgeloop.deploy.docker;

import io.edgeloop.automl.onnx.LinearExporter;
import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.Samples;
import io.edgeloop.modelpackage.Task;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real serving images for the tests: the edgeloop model server (from this build's classpath) on a
 * jlinked Java 17 runtime plus the host's glibc (one layer, made with {@code docker import}: on
 * the vfs storage driver every extra layer of a Debian JRE base costs a full copy, which made
 * builds take minutes), with a real ONNX linear regression {@code y = w * (x1 + x2) + 0.5} as model
 * package, pushed to the local registry and referenced by digest. A "broken" image serves a graph
 * whose predictions differ from the samples recorded in its own package: it starts and reports
 * ready, but fails the smoke test.
 */
public final class ModelServerImages {
  /** The model server's own runtime modules (as the packaging service links them). */
  public static final String MODULES = String.join(",", io.edgeloop.modelserver.ModelServer.RUNTIME_MODULES);
  public static final List<String> SYSTEM_LIBRARIES = List.of(
      "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6",
      "/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libpthread.so.0", "/lib/x86_64-linux-gnu/librt.so.1",
      "/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libgcc_s.so.1");
  public static final String REGISTRY = "127.0.0.1:5000";
  /** Containers of the tests carry this label, so @AfterAll removes exactly them. */
  public static final String TEST_LABEL = "io.edgeloop.test";

  /** Class path entries the model server needs at run time (its jar and its runtime dependencies). */
  private static final List<String> SERVER_CLASSPATH = List.of(
      "edgeloop-model-server", "model-server/target/classes", "edgeloop-model-package", "model-package/target/classes",
      "edgeloop-contracts", "contracts/target/classes", "onnxruntime", "jackson-core", "jackson-databind",
      "jackson-annotations", "micrometer-core", "micrometer-commons", "micrometer-observation",
      "micrometer-registry-prometheus", "prometheus-metrics", "HdrHistogram", "LatencyUtils", "/io/netty/");

  private ModelServerImages() {}

  /** Why images cannot be built here, or null when the engine, the registry and the Debian base are there. */
  public static String unavailable() {
    if (!Files.exists(Path.of("/var/run/docker.sock"))) {
      return "no Docker engine at /var/run/docker.sock";
    }
    if (!Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods"))) {
      return "the test JDK has no jmods, so no runtime can be jlinked for the test images";
    }
    for (String library : SYSTEM_LIBRARIES) {
      if (!Files.exists(Path.of(library))) {
        return "host library " + library + " is missing for the test images";
      }
    }
    try {
      HttpResponse<Void> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/")).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? null : "registry at " + REGISTRY + " answered " + r.statusCode();
    } catch (IOException e) {
      return "no registry at " + REGISTRY + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The jlinked runtime, made once per build directory. */
  public static synchronized Path runtime() throws IOException {
    Path jre = Path.of("target", "test-jre-" + Integer.toHexString(MODULES.hashCode()));
    if (Files.isExecutable(jre.resolve("bin/java"))) {
      return jre;
    }
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    check(run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files",
        "--no-man-pages", "--compress=2", "--output", jre.toString())), "jlink");
    return jre;
  }

  /**
   * Builds and pushes {@code model:version}; returns it pinned by digest. The local copy is removed
   * again, so a rollout has to pull it from the registry.
   *
   * @param servedWeight the weight of the ONNX graph the server runs
   * @param recordedWeight the weight the package's samples were computed with (differs = broken)
   */
  public static Release build(Path work, String model, int version, float servedWeight, float recordedWeight) throws IOException {
    Path rootfs = work.resolve(model + "-" + version);
    Path lib = Files.createDirectories(rootfs.resolve("app/lib"));
    List<String> classpath = new ArrayList<>();
    int index = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String normalized = entry.replace('\\', '/');
      if (SERVER_CLASSPATH.stream().noneMatch(normalized::contains)) {
        continue;
      }
      Path source = Path.of(entry);
      String name = String.format("%02d-%s", index++, source.getFileName().toString().equals("classes")
          ? source.getParent().getParent().getFileName() + "-classes" : source.getFileName().toString());
      copy(source, lib.resolve(name));
      classpath.add("/app/lib/" + name);
    }
    writePackage(rootfs.resolve("model"), model, version, servedWeight, recordedWeight);
    Files.createDirectories(rootfs.resolve("opt"));
    check(run(List.of("cp", "-a", runtime().toAbsolutePath().toString(), rootfs.resolve("opt/java").toString())), "copy runtime");
    for (String library : SYSTEM_LIBRARIES) {
      Path to = rootfs.resolve(library.substring(1));
      Files.createDirectories(to.getParent());
      check(run(List.of("cp", "-L", library, to.toString())), "copy " + library);
    }
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\n");
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    Files.setPosixFilePermissions(Files.createDirectories(rootfs.resolve("tmp")),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

    String image = REGISTRY + "/edgeloop-test/" + model + ":" + version;
    String entrypoint = "[\"/opt/java/bin/java\", \"-XX:+ExitOnOutOfMemoryError\", \"-cp\", \""
        + String.join(":", classpath) + "\", \"io.edgeloop.modelserver.ModelServerMain\"]";
    check(run(List.of("bash", "-c", "tar -C \"$0\" -c . | docker import"
        + " --change 'ENV EDGELOOP_MODEL_DIR=/model' --change 'EXPOSE 8080'"
        + " --change 'LABEL io.edgeloop.model.name=" + model + " io.edgeloop.model.version=" + version + "'"
        + " --change '" + "ENTRYPOINT " + entrypoint + "' - \"$1\"", rootfs.toString(), image)), "import " + image);
    check(run(List.of("docker", "push", "-q", image)), "push " + image);
    String digest = output(List.of("docker", "image", "inspect", "--format", "{{index .RepoDigests 0}}", image)).trim();
    run(List.of("docker", "image", "rm", image));
    return new Release(model, version, image, digest.substring(digest.indexOf('@') + 1));
  }

  /** What version {@code weight} predicts for a row: the expected answer of the served model. */
  public static double predict(float weight, double x1, double x2) {
    return weight * (x1 + x2) + 0.5f;
  }

  private static void writePackage(Path dir, String model, int version, float servedWeight, float recordedWeight)
      throws IOException {
    byte[] onnx = LinearExporter.export(new float[] {0, 0}, new float[] {1, 1},
        new float[][] {{servedWeight}, {servedWeight}}, new float[] {0.5f}, Task.REGRESSION, model);
    List<Map<String, Double>> rows = List.of(Map.of("x1", 1.0, "x2", 2.0), Map.of("x1", -3.0, "x2", 0.25));
    List<List<Double>> expected = rows.stream()
        .map(row -> List.of(predict(recordedWeight, row.get("x1"), row.get("x2")))).toList();
    ModelSignature signature = new ModelSignature(
        List.of(new TensorSpec("features", "FP32", List.of(-1L, 2L))),
        List.of(new TensorSpec("variable", "FP32", List.of(-1L, 1L))));
    FeatureSpec features = new FeatureSpec(
        List.of(new ColumnSpec("x1", "float64"), new ColumnSpec("x2", "float64")), null, null, List.of(),
        List.of("x1", "x2"), 0);
    ModelManifest manifest = new ModelManifest(model, version, Task.REGRESSION, List.of(), null, signature, features,
        Map.of("rmse", 0.1), "rmse", null, new Samples(rows, expected));
    ModelPackages.write(dir, manifest, onnx);
  }

  /** Removes every container a test run left with {@code TEST_LABEL=value}. */
  public static void removeTestContainers(String value) {
    String ids = output(List.of("docker", "ps", "-aq", "--filter", "label=" + TEST_LABEL + "=" + value));
    for (String id : ids.split("\\s+")) {
      if (!id.isBlank()) {
        run(List.of("docker", "rm", "-f", id));
      }
    }
  }

  /** Removes the engine's copies of these images (the rollouts pulled them by digest). */
  public static void removeImages(List<Release> releases) {
    for (Release release : releases) {
      if (release != null) {
        run(List.of("docker", "image", "rm", release.pinnedImage()));
      }
    }
  }

  private static void copy(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void check(int rc, String what) {
    if (rc != 0) {
      throw new IllegalStateException(what + " failed (exit " + rc + ")");
    }
  }

  public static int run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public static String output(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
