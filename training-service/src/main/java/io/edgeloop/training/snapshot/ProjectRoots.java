package io.edgeloop.training.snapshot;

import io.edgeloop.contracts.RunFailureReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The folders a script run's {@code settings.project} may name ({@code edgeloop.training.project-roots}):
 * a project must lie under one of them both as written and after resolving symbolic links, so neither
 * {@code ..} nor a link inside a root reaches the rest of the host. A root that does not exist allows
 * nothing.
 */
public final class ProjectRoots {
  private final List<Path> roots;

  public ProjectRoots(List<Path> roots) {
    this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
  }

  /**
   * The project's real path; throws {@code project_not_allowed} when it lies outside every root, and
   * {@code unsafe_snapshot} when it lies inside one but does not exist.
   */
  public Path check(String project) throws SnapshotException {
    Path path = Path.of(project).toAbsolutePath().normalize();
    if (roots.stream().noneMatch(path::startsWith)) {
      throw notAllowed(project);
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "project " + project + " does not exist");
    } catch (IOException e) {
      throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "project " + project + " cannot be read: " + e.getMessage());
    }
    for (Path root : roots) {
      try {
        if (Files.exists(root) && real.startsWith(root.toRealPath())) {
          return real;
        }
      } catch (IOException unreadableRoot) {
        // allows nothing
      }
    }
    throw notAllowed(project);
  }

  private SnapshotException notAllowed(String project) {
    return new SnapshotException(RunFailureReason.PROJECT_NOT_ALLOWED,
        "project " + project + " is not under an allowed folder (edgeloop.training.project-roots: " + roots
            + "); upload the project as a snapshot (POST /api/snapshots) instead");
  }
}
