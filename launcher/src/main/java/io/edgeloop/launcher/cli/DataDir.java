package io.edgeloop.launcher.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}: the stack's data folder, where {@code stack.json} and {@code admin.token} are. */
public final class DataDir {
  @Option(names = "--data-dir", defaultValue = "${env:EDGELOOP_DATA_DIR:-.edgeloop}", paramLabel = "DIR",
      description = "The stack's data folder, with its stack.json and admin.token (env EDGELOOP_DATA_DIR, default ${DEFAULT-VALUE})")
  Path dir;

  public Path path() {
    return dir;
  }
}
