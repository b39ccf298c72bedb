package io.edgeloop.training.trainer;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.training.run.RunFailure;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks a script's {@code outputs/} before anything of it is read or uploaded: only plain files and
 * folders (a symbolic link, e.g. {@code ln -s /proc/self/environ outputs/x}, would make whatever it
 * points at an artifact), found at the path the service created (no link along the way), and no more
 * than {@code maxBytes} in all. The walk never follows links.
 */
final class RunOutputs {
  private RunOutputs() {}

  /** Throws {@code unsafe_output} or {@code output_too_large} (phase exporting) when {@code outputs} may not be kept. */
  static void check(Path outputs, Path expectedRealPath, long maxBytes) throws RunFailure {
    try {
      if (!Files.isDirectory(outputs, LinkOption.NOFOLLOW_LINKS) || !outputs.toRealPath().equals(expectedRealPath)) {
        throw unsafe("outputs/ was replaced (by a symbolic link or a file); nothing of it is kept");
      }
      long[] total = {0};
      RunFailure[] problem = {null};
      Files.walkFileTree(outputs, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String rel = "outputs/" + outputs.relativize(file).toString().replace('\\', '/');
          if (attrs.isSymbolicLink()) {
            problem[0] = unsafe(rel + " is a symbolic link; outputs are kept only as plain files");
          } else if (!attrs.isRegularFile()) {
            problem[0] = unsafe(rel + " is not a plain file");
          } else if ((total[0] += attrs.size()) > maxBytes) {
            problem[0] = new RunFailure(RunPhase.EXPORTING, RunFailureReason.OUTPUT_TOO_LARGE,
                "outputs/ holds more than " + maxBytes + " bytes (edgeloop.training.max-output-bytes)");
          }
          return problem[0] == null ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
        }
      });
      if (problem[0] != null) {
        throw problem[0];
      }
    } catch (IOException e) {
      throw new RunFailure(RunPhase.EXPORTING, RunFailureReason.UNSAFE_OUTPUT, "outputs/ cannot be read: " + e.getMessage(), e);
    }
  }

  private static RunFailure unsafe(String message) {
    return new RunFailure(RunPhase.EXPORTING, RunFailureReason.UNSAFE_OUTPUT, message);
  }
}
