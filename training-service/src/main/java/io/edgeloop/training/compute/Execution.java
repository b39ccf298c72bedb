package io.edgeloop.training.compute;

import java.nio.file.Path;
import java.util.Map;

/**
 * One command to execute for a run: {@code command} is a shell command line run in {@code workspace}
 * (the unpacked snapshot; the script writes to {@code outputs/} in it), {@code dataDir} holds the
 * run's dataset files and is mounted read-only where the target can; {@code image} is the Docker
 * image, null for the host environment. {@code env} is the script's whole environment apart from
 * what the target adds (its paths, and on the host the variables it passes on); it may hold secret
 * values, so {@link #toString()} names the variables only.
 */
public record Execution(String runId, int attempt, String command, Path workspace, Path dataDir, String image, Map<String, String> env) {
  public Execution {
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** The variables that mark this execution's processes (a target sets them last, so a script cannot drop them at start). */
  public Map<String, String> identity() {
    return Map.of("EDGELOOP_RUN_ID", runId, "EDGELOOP_ATTEMPT", Integer.toString(attempt));
  }

  @Override
  public String toString() {
    return "Execution[run " + runId + " attempt " + attempt + ", image " + image + ", variables " + env.keySet() + "]";
  }
}
