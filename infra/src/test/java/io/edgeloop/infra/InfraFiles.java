package io.edgeloop.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files under test live: the {@code infra/} module directory (Surefire runs tests there). */
final class InfraFiles {
  private InfraFiles() {}

  static Path dir() {
    Path basedir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (Files.isDirectory(basedir.resolve("prometheus"))) {
      return basedir;
    }
    return basedir.resolve("infra");
  }

  static Path prometheusDir() {
    return dir().resolve("prometheus");
  }
}
