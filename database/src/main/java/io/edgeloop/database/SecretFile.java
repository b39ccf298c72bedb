package io.edgeloop.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A secret kept in a file only its owner may read (mode 0600): the embedded PostgreSQL's password,
 * one-command mode's admin token. Created once, atomically, with the mode set at creation (never a
 * moment with a wider one); read back on every later start.
 */
public final class SecretFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The secret in {@code file}, or {@code generated} written there first when the file does not exist. */
  public static String readOrCreate(Path file, String generated) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(file, generated + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return generated;
    } catch (FileAlreadyExistsException exists) {
      // Someone widened the mode since: the secret may have been read, but narrowing it now still
      // keeps later readers out.
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw new IOException(file + " is empty: delete it to have a new secret generated");
      }
      return secret;
    }
  }

  /** {@code bytes} random bytes from {@link SecureRandom}, base64url without padding. */
  public static String randomBase64Url(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private SecretFile() {}
}
