package io.edgeloop.packaging.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the model server's jars (its runtime dependency closure) that go into every image, wherever
 * this service runs from, in this order:
 * <ol>
 *   <li>a folder the operator names ({@code edgeloop.packaging.server-lib-dir});
 *   <li>this JVM's classpath: the build lists the closure's jar names in {@value #LISTING}, and the
 *       service depends on the model server, so every one of them is on its classpath (run from the
 *       build tree, from the launcher's classpath, or from the local repository);
 *   <li>inside this service's runnable jar ({@code java -jar packaging-service-<version>-exec.jar}, as
 *       the container images, compose and Kubernetes run it): Spring Boot keeps the dependencies in
 *       {@code BOOT-INF/lib}, which the JVM's classpath does not show; the listed ones are copied out
 *       once into the cache ({@code <cache-dir>/server-lib/<digest of the jar>});
 *   <li>{@code model-server-lib} beside the packaging classes or jar (the build writes it to
 *       {@code packaging-service/target/model-server-lib}).
 * </ol>
 * No path is taken relative to the working directory.
 */
public final class ServerJars {
  /** The resource listing the closure's jar file names, one a line (written by this module's build). */
  public static final String LISTING = "META-INF/edgeloop/model-server-jars.txt";
  private static final Logger log = LoggerFactory.getLogger(ServerJars.class);

  private ServerJars() {}

  /**
   * The jars, sorted by file name.
   *
   * @param configured the operator's folder, or null
   * @throws IOException when none of the ways finds them (the message says what was tried)
   */
  public static List<Path> find(Path configured) throws IOException {
    return find(configured, null);
  }

  /**
   * @param configured the operator's folder, or null
   * @param extractDir where jars inside a runnable jar are copied out to (null: not looked for there)
   */
  public static List<Path> find(Path configured, Path extractDir) throws IOException {
    if (configured != null) {
      return inFolder(configured).orElseThrow(() -> new IOException(ServerLayers.NOT_FOUND + " " + configured.toAbsolutePath()
          + " (edgeloop.packaging.server-lib-dir): no folder with an edgeloop-model-server jar"));
    }
    List<String> names = listing();
    Optional<List<Path>> onClasspath = onClasspath(names, System.getProperty("java.class.path", ""));
    if (onClasspath.isPresent()) {
      return onClasspath.get();
    }
    String classPath = System.getProperty("java.class.path", "");
    if (extractDir != null && classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
      Optional<List<Path>> inRunnableJar = inRunnableJar(names, Path.of(classPath), extractDir);
      if (inRunnableJar.isPresent()) {
        return inRunnableJar.get();
      }
    }
    Optional<Path> beside = besidePackaging();
    if (beside.isPresent()) {
      Optional<List<Path>> jars = inFolder(beside.get());
      if (jars.isPresent()) {
        return jars.get();
      }
    }
    throw new IOException(ServerLayers.NOT_FOUND + " this classpath (" + names.size() + " jars listed in " + LISTING
        + ") nor in " + beside.map(Path::toString).orElse("a model-server-lib folder beside the packaging classes")
        + ": set edgeloop.packaging.server-lib-dir to a folder holding them");
  }

  /**
   * The listed jars among the classpath's entries, by file name; a jar the classpath has in another
   * version (another resolution of the same artifact) is taken with a warning. Empty when one is
   * missing or the model server is on it as a classes folder (a reactor build without jars).
   */
  static Optional<List<Path>> onClasspath(List<String> names, String classPath) {
    if (names.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Path> byName = new LinkedHashMap<>();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        byName.putIfAbsent(path.getFileName().toString(), path);
      }
    }
    List<Path> jars = new ArrayList<>();
    for (String name : names) {
      Path exact = byName.get(name);
      if (exact != null) {
        jars.add(exact);
        continue;
      }
      String artifact = artifactOf(name);
      Optional<Path> other = byName.entrySet().stream()
          .filter(e -> artifact != null && artifact.equals(artifactOf(e.getKey()))).map(Map.Entry::getValue).findFirst();
      if (other.isEmpty()) {
        log.debug("{} is not on the classpath", name);
        return Optional.empty();
      }
      log.warn("the model server was built with {} but this classpath has {}: using it", name, other.get().getFileName());
      jars.add(other.get());
    }
    return Optional.of(jars.stream().sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList());
  }

  /**
   * The listed jars from {@code BOOT-INF/lib} of a Spring Boot runnable jar, copied out under
   * {@code extractDir} into a folder named by the jar's size, time and the listing (so a new build
   * never reuses an old copy). Copied into a private folder and renamed into place, so two instances
   * sharing the cache each see a whole folder or none. Empty when {@code jar} is no runnable jar or a
   * listed jar is missing from it.
   */
  static Optional<List<Path>> inRunnableJar(List<String> names, Path jar, Path extractDir) throws IOException {
    if (names.isEmpty() || !Files.isRegularFile(jar)) {
      return Optional.empty();
    }
    Path folder = extractDir.resolve(jarDigest(jar, names));
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(extractDir);
      Path partial = Files.createTempDirectory(extractDir, ".partial-");
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
        for (String name : names) {
          java.util.zip.ZipEntry entry = zip.getEntry("BOOT-INF/lib/" + name);
          if (entry == null) {
            log.debug("{} is not in {}", name, jar);
            return Optional.empty();
          }
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, partial.resolve(name));
          }
        }
        try {
          Files.move(partial, folder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          log.info("the model server's jars copied out of {} into {}", jar.getFileName(), folder);
        } catch (IOException e) {
          if (!Files.isDirectory(folder)) {
            throw e;
          }
          log.debug("another instance copied them first into {}", folder); // rename onto a full folder: ENOTEMPTY
        }
      } finally {
        org.springframework.util.FileSystemUtils.deleteRecursively(partial);
      }
    }
    List<Path> jars = new ArrayList<>();
    for (String name : names) {
      Path copied = folder.resolve(name);
      if (!Files.isRegularFile(copied)) {
        return Optional.empty();
      }
      jars.add(copied);
    }
    return Optional.of(jars.stream().sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList());
  }

  private static String jarDigest(Path jar, List<String> names) throws IOException {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update((jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "|"
          + String.join(",", names)).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code artifactId} of {@code artifactId-version[-classifier].jar} (the version starts at the first "-digit"). */
  static String artifactOf(String fileName) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.+?)-\\d[^/]*\\.jar$").matcher(fileName);
    return m.matches() ? m.group(1) : null;
  }

  static List<String> listing() throws IOException {
    try (InputStream in = ServerJars.class.getClassLoader().getResourceAsStream(LISTING)) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> l.endsWith(".jar")).toList();
    }
  }

  private static Optional<Path> besidePackaging() {
    try {
      Path classes = Path.of(ServerJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Optional.of(classes.getParent().resolve("model-server-lib"));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty(); // not loaded from a file
    }
  }

  private static Optional<List<Path>> inFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      return jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("edgeloop-model-server-"))
          ? Optional.of(jars) : Optional.empty();
    }
  }
}
