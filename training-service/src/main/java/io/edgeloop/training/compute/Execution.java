package io.edgeloop.training.compute;

import java.nio.file.Path;
import java.util.Map;

/**
 * One command to execute for a run: {@code command} is a shell command line run in {@code workspace}
 * (the unpacked snapshot; the script writes to {@code outputs/} in it), {@code dataDir} holds the
 * run's dataset files and is mounted read-only where the target can; {@code image} is the Docker
 * image, null for the host environment.
 */
public record Execution(String runId, String command, Path workspace, Path dataDir, String image, Map<String, String> env) {
  public Execution {
    env = env == null ? Map.of() : Map.copyOf(env);
  }
}
