package io.edgeloop.deploy.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity of the edgeloop stack this service belongs to. Every container (and every other
 * workload) the service starts carries it as label {@value #LABEL}; a stack adopts and removes
 * only workloads with its own id, so two stacks (two data folders, a test run and a demo) on one
 * Docker engine never touch each other's models.
 */
public record StackId(String value) {
  public static final String LABEL = "io.edgeloop.stack";
  static final String FILE = "stack.id";

  public StackId {
    Objects.requireNonNull(value, "stack id");
    if (!value.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("edgeloop.stack-id must be 1-63 letters, digits, '_', '.' or '-', got '" + value + "'");
    }
  }

  /**
   * The configured id ({@code edgeloop.stack-id}, set by the launcher), else the one kept in
   * {@code <dataDir>/stack.id}, created with a new UUID when absent.
   */
  public static StackId resolve(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return new StackId(configured.trim());
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(dataDir);
        // Written aside and linked into place: a service of the same stack starting at the same
        // moment either wins or reads the complete id the other one wrote, never a half-written file.
        Path written = Files.createTempFile(dataDir, FILE, ".new");
        try {
          Files.writeString(written, UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
          Files.createLink(file, written);
        } catch (FileAlreadyExistsException raced) {
          // another service of the same stack was first: use its id
        } finally {
          Files.deleteIfExists(written);
        }
      }
      return new StackId(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the stack id in " + file, e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
