package io.edgeloop.training.snapshot;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of {@code .gitignore} syntax that project folders need, read from {@code .gitignore}
 * and {@code .edgeloopignore} at the project root: blank lines and {@code #} comments are skipped,
 * {@code name} matches a file or folder at any depth, {@code /name} only at the root, {@code dir/}
 * only folders, {@code *}, {@code ?} and {@code **} globs; {@code !} negation is not supported
 * (such lines are ignored). {@code .git/} and {@code outputs/} are always left out.
 */
final class IgnoreRules {
  private record Rule(PathMatcher matcher, boolean dirOnly) {}

  private final List<Rule> rules = new ArrayList<>();

  static IgnoreRules read(Path root) throws IOException {
    IgnoreRules rules = new IgnoreRules();
    rules.add("/.git/");
    rules.add("/outputs/");
    for (String file : List.of(".gitignore", ".edgeloopignore")) {
      Path p = root.resolve(file);
      if (Files.isRegularFile(p)) {
        for (String line : Files.readAllLines(p)) {
          rules.add(line);
        }
      }
    }
    return rules;
  }

  private void add(String raw) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
      return;
    }
    boolean dirOnly = line.endsWith("/");
    if (dirOnly) {
      line = line.substring(0, line.length() - 1);
    }
    boolean anchored = line.startsWith("/") || line.contains("/");
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    String glob = anchored ? line : "**/" + line;
    rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + glob), dirOnly));
    if (!anchored) {
      rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + line), dirOnly));
    }
  }

  /** Whether {@code relative} (a path inside the project) is ignored. */
  boolean ignores(Path relative, boolean directory) {
    for (Rule rule : rules) {
      if ((directory || !rule.dirOnly()) && rule.matcher().matches(relative)) {
        return true;
      }
    }
    return false;
  }
}
