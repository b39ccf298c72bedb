package io.edgeloop.security.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The shape of edgeloop API tokens: {@code elt_} + 43 characters of base64url (32 random bytes from
 * {@link SecureRandom}); stored only as the SHA-256 hex of the whole token. A token of this entropy
 * needs no slow password hash: nobody can guess it, and the hash only keeps a database reader from
 * using the rows as credentials.
 */
public final class TokenSecrets {
  public static final String PREFIX = "elt_";
  private static final Pattern SHAPE = Pattern.compile("elt_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  /** A new random token. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code token} has the shape of an edgeloop API token. */
  public static boolean isApiToken(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  /** Whether {@code token} has the shape of a JWT (three dot-separated parts). */
  public static boolean isJwt(String token) {
    return token != null && token.split("\\.", -1).length == 3;
  }

  /** The SHA-256 hex of the whole token: what the store keeps. */
  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
