package io.edgeloop.packaging.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * edgeloop's own small runtime for an empty ({@code scratch}) base: a layer of system files copied
 * from the host (dynamic loader, glibc, libstdc++, libgcc_s, zlib, {@code /etc/passwd}, a writable
 * {@code /tmp} for ONNX Runtime to unpack its native library into) and a layer with a jlinked JRE
 * at {@value #JAVA_HOME}. The JRE is made once per module list and JDK and cached on disk.
 */
public final class JlinkRuntime {
  public static final String JAVA_HOME = "/opt/java";
  /** The unprivileged user the server runs as. */
  public static final String USER = "65534:65534";

  private final Path jdkHome;
  private final List<String> modules;
  private final List<String> systemLibraries;
  private final Path cacheDir;

  public JlinkRuntime(Path jdkHome, List<String> modules, List<String> systemLibraries, Path cacheDir) {
    this.jdkHome = jdkHome;
    this.modules = List.copyOf(modules);
    this.systemLibraries = List.copyOf(systemLibraries);
    this.cacheDir = cacheDir;
  }

  public String javaCommand() {
    return JAVA_HOME + "/bin/java";
  }

  /** The host's system files the JRE and ONNX Runtime need, plus a minimal {@code /etc} and {@code /tmp}. */
  public FileEntriesLayer systemLayer() throws IOException {
    Path etc = cacheDir.resolve("etc");
    Files.createDirectories(etc);
    writeIfChanged(etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n");
    writeIfChanged(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
    writeIfChanged(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
    Path tmp = Files.createDirectories(cacheDir.resolve("empty-dir"));

    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("system");
    for (String library : systemLibraries) {
      Path source = Path.of(library);
      if (!Files.isRegularFile(source)) {
        throw new IOException("system library " + library + " is missing on this host; set"
            + " edgeloop.packaging.system-libraries or use a registry base image");
      }
      // Files.isRegularFile follows links: the layer gets the library's content under the name
      // the loader looks for.
      layer.addEntry(source, AbsoluteUnixPath.get(library), FilePermissions.fromOctalString("755"));
    }
    for (String name : List.of("passwd", "group", "hosts")) {
      layer.addEntry(etc.resolve(name), AbsoluteUnixPath.get("/etc/" + name), FilePermissions.fromOctalString("644"));
    }
    // Jib's permissions have no sticky bit; a world-writable /tmp is enough for one process.
    layer.addEntry(tmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
    return layer.build();
  }

  /** The jlinked JRE at {@value #JAVA_HOME}, keeping file modes ({@code bin/java} must stay executable). */
  public FileEntriesLayer jreLayer() throws IOException {
    Path jre = jre();
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("jre");
    try (Stream<Path> files = Files.walk(jre)) {
      for (Path file : (Iterable<Path>) files.filter(p -> !p.equals(jre)).sorted()::iterator) {
        layer.addEntry(file, AbsoluteUnixPath.get(JAVA_HOME).resolve(jre.relativize(file).toString()),
            FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(file)));
      }
    }
    return layer.build();
  }

  /**
   * The cached runtime, made with jlink on first use. The cache may be shared by every stack on the
   * machine (the default is the user's cache folder), so two processes may link at once: each links
   * into its own partial folder and renames it into place; the one that loses the race uses the
   * winner's. The key covers the JDK's {@code release} file, so a JDK updated in place links anew.
   */
  synchronized Path jre() throws IOException {
    Path release = jdkHome.resolve("release");
    String version = Files.isRegularFile(release) ? Files.readString(release) : "";
    String key = Integer.toHexString((jdkHome.toAbsolutePath() + "|" + version + "|" + String.join(",", modules)).hashCode());
    Path jre = cacheDir.resolve("jre-" + key);
    if (Files.isExecutable(jre.resolve("bin/java"))) {
      return jre;
    }
    // A JDK links from its jmods; since JDK 24 a JDK built for it (Temurin 25) links from its own
    // run-time image instead and ships no jmods.
    Path jmods = jdkHome.resolve("jmods");
    if (!Files.isDirectory(jmods)) {
      if (!linksFromRunTimeImage(jdkHome)) {
        throw new IOException("no jmods in " + jdkHome + ", and its jlink cannot link from the run-time image: jlink needs"
            + " a full JDK (Debian: openjdk-17-jdk-headless ships jmods; Temurin 25 links without them); set"
            + " edgeloop.packaging.jdk-home or use a registry base image");
      }
      jmods = null;
    }
    Files.createDirectories(cacheDir);
    deleteAbandonedPartials(cacheDir);
    Path partial = cacheDir.resolve(PARTIAL_PREFIX + ProcessHandle.current().pid() + "-" + key + "-"
        + java.util.UUID.randomUUID().toString().substring(0, 8));
    Process process = new ProcessBuilder(jlinkCommand(jdkHome.resolve("bin/jlink"), NICE, jmods, featureVersion(jdkHome), modules, partial))
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        deleteRecursively(partial);
        throw new IOException("jlink failed (" + process.exitValue() + "): " + output.strip());
      }
    } catch (InterruptedException e) {
      // Stopped mid-jlink: the process must be gone before its partial runtime is removed.
      process.destroyForcibly();
      while (process.isAlive()) {
        try {
          process.waitFor();
        } catch (InterruptedException again) {
          // keep waiting: it was killed and ends at once
        }
      }
      deleteRecursively(partial);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running jlink");
    }
    try {
      Files.move(partial, jre, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Another process renamed its runtime into place first (a rename onto a full folder fails).
      deleteRecursively(partial);
      if (!Files.isExecutable(jre.resolve("bin/java"))) {
        throw e;
      }
    }
    return jre;
  }

  /** Partial runtimes are named {@code .partial-<pid>-<key>-<random>} by the process that links them. */
  private static final String PARTIAL_PREFIX = ".partial-";

  /** Removes partial runtimes left by processes that are gone (killed mid-jlink). */
  static void deleteAbandonedPartials(Path cacheDir) throws IOException {
    List<Path> partials;
    try (Stream<Path> list = Files.list(cacheDir)) {
      partials = list.filter(p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX)).toList();
    }
    for (Path partial : partials) {
      String rest = partial.getFileName().toString().substring(PARTIAL_PREFIX.length());
      int dash = rest.indexOf('-');
      boolean alive;
      try {
        alive = dash > 0 && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).map(ProcessHandle::isAlive).orElse(false);
      } catch (NumberFormatException e) {
        alive = false;
      }
      if (!alive) {
        try {
          deleteRecursively(partial);
        } catch (IOException e) {
          // another process is removing it too: it is going either way
        }
      }
    }
  }

  /** Where {@code nice} is on Linux hosts; absent elsewhere, and then jlink runs at normal priority. */
  static final Path NICE = Path.of("/usr/bin/nice");

  /**
   * The jlink command. jlink is background work (the start-up warm-up, or a first build that trains
   * took minutes to reach), so it runs at the lowest CPU priority where {@code nice} exists: it must
   * not slow down the services starting beside it or a CLI call. Its own short-lived JVM uses only the
   * quick JIT tier and the serial collector: half the CPU time of the defaults (11.4 s to 6.0 s
   * measured here), as its work is native compression.
   */
  static List<String> jlinkCommand(Path jlink, Path nice, Path jmods, int featureVersion, List<String> modules, Path output) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(nice)) {
      command.addAll(List.of(nice.toString(), "-n", "19"));
    }
    command.addAll(List.of(jlink.toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    if (jmods != null) {
      command.addAll(List.of("--module-path", jmods.toString()));
    }
    // JDK 21 renamed the compression levels and warns on the old ones.
    command.addAll(List.of("--add-modules", String.join(",", modules), "--strip-debug", "--no-header-files", "--no-man-pages",
        featureVersion >= 21 ? "--compress=zip-6" : "--compress=2", "--output", output.toString()));
    return command;
  }

  /** Whether this JDK's jlink was built to link from its run-time image (it says so in its help). */
  static boolean linksFromRunTimeImage(Path jdkHome) throws IOException {
    Path jlink = jdkHome.resolve("bin/jlink");
    if (!Files.isExecutable(jlink)) {
      return false;
    }
    Process process = new ProcessBuilder(jlink.toString(), "--help").redirectErrorStream(true).start();
    String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while asking jlink what it can do");
    }
    return help.contains("Linking from run-time image enabled");
  }

  /** The JDK's feature version (17, 25) from its {@code release} file; 17 when it does not say. */
  static int featureVersion(Path jdkHome) throws IOException {
    Path release = jdkHome.resolve("release");
    if (Files.isRegularFile(release)) {
      java.util.regex.Matcher version = java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
      if (version.find()) {
        return Integer.parseInt(version.group(1));
      }
    }
    return 17;
  }

  /** Written beside and renamed into place: another process may be reading it (a shared cache). */
  private static void writeIfChanged(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".partial");
      Files.write(partial, bytes);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    }
    for (Path p : paths) {
      Files.delete(p);
    }
  }
}
