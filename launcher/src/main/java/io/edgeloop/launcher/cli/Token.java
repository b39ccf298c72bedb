package io.edgeloop.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bearer token the CLI sends, and where it came from (so that a refusal can name it):
 * {@code --token}, else {@code EDGELOOP_TOKEN}, else the stack's {@code admin.token}.
 *
 * @param value the token, or null when there is none
 * @param source where it came from, in words
 */
public record Token(String value, String source) {

  static Token resolve(String flag, String environment, Path adminTokenFile) {
    if (flag != null && !flag.isBlank()) {
      return new Token(flag.strip(), "--token");
    }
    if (environment != null && !environment.isBlank()) {
      return new Token(environment.strip(), "EDGELOOP_TOKEN");
    }
    if (adminTokenFile != null && Files.isReadable(adminTokenFile)) {
      try {
        String value = Files.readString(adminTokenFile).strip();
        if (!value.isEmpty()) {
          return new Token(value, adminTokenFile.toString());
        }
      } catch (IOException e) {
        // unreadable: as if absent, and the refusal will say that no token was sent
      }
    }
    return new Token(null, "none (no --token, no EDGELOOP_TOKEN, no " + (adminTokenFile == null ? "admin.token" : adminTokenFile) + ")");
  }

  /** A token read from a file (one-command mode's admin token). */
  public static Token fromFile(Path file) {
    return resolve(null, null, file);
  }

  boolean present() {
    return value != null;
  }
}
