package io.edgeloop.security.token;

import io.edgeloop.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin: the token in {@code edgeloop.security.bootstrap-token-file} is stored as
 * {@code admin} named {@value #NAME} when its hash is not in the store yet. A token already there is
 * left as it is, revoked included: revoking the bootstrap token must stick across restarts.
 */
public final class BootstrapToken {
  public static final String NAME = "bootstrap-admin";
  private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

  private BootstrapToken() {}

  /**
   * Reads the file and stores its token if new.
   *
   * @throws IllegalStateException when the file is missing, unreadable or holds no edgeloop API token
   *     (the message never contains the file's content)
   */
  public static void ensure(Path file, ApiTokens tokens) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("edgeloop.security.bootstrap-token-file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read edgeloop.security.bootstrap-token-file " + file, e);
    }
    if (!TokenSecrets.isApiToken(token)) {
      throw new IllegalStateException("edgeloop.security.bootstrap-token-file " + file
          + " does not hold an edgeloop API token (elt_ followed by 43 base64url characters)");
    }
    if (tokens.storeIfAbsent(token, NAME, Set.of(Role.ADMIN))) {
      log.info("stored the admin token of {} as '{}'", file, NAME);
    }
  }
}
