package io.edgeloop.training.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals secret values for storage with AES-256-GCM (the JDK's provider): a random 96-bit nonce per
 * value, and the value's context (run id and variable name) as associated data, so a sealed value
 * opens only for the run and name it was sealed for. The key is 32 random bytes, base64 in a file
 * created with mode 0600 on first use.
 */
public final class SecretBox {
  private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a secret key has 32 bytes, this one " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The box whose key is in {@code file}, creating the key (mode 0600) when the file does not exist. */
  public static SecretBox fromFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IllegalArgumentException e) {
      throw new IOException("secret key file " + file + " does not hold a base64 key", e);
    }
    return new SecretBox(key);
  }

  /** Writes a new key to a private temporary file, then links it into place, so that a racing instance keeps the first key. */
  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, ".secret-key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      tmp = Files.createTempFile(dir, ".secret-key", ".tmp");
    }
    try {
      Files.writeString(tmp, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
      Files.createLink(file, tmp);
      log.info("created the key for secret values at {} (mode 0600); instances sharing a database need the same key", file);
    } catch (FileAlreadyExistsException another) {
      // another instance created it first: use theirs
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Seals {@code value} for {@code context}: nonce followed by ciphertext and tag. */
  public byte[] seal(String value, String context) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /** Opens what {@link #seal} made for the same {@code context}; throws when the key or the context differ, or the bytes changed. */
  public String open(byte[] sealed, String context) throws GeneralSecurityException {
    if (sealed.length <= NONCE_BYTES) {
      throw new GeneralSecurityException("sealed value too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
  }
}
