package io.edgeloop.modelserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bearer-token authentication. With no tokens configured every endpoint is open (the default, as
 * inside a trusted network). With tokens, health ({@code /v2/health/live|ready} and a model's
 * {@code ready}) always stays open for probes, and:
 * <ul>
 *   <li>{@code management} (the default): {@code /metrics} and anything that is neither health nor
 *       inference needs a token; inference and metadata stay open;
 *   <li>{@code all}: inference and metadata need a token too.
 * </ul>
 *
 * @param tokenSha256 SHA-256 (hex, lower case) of each accepted token: {@code EDGELOOP_AUTH_TOKEN_SHA256}
 *     (comma-separated), and the tokens in {@code EDGELOOP_AUTH_TOKENS_FILE} (one per line, {@code #}
 *     comments), hashed when read; the server keeps no token itself
 * @param scope {@code EDGELOOP_AUTH_SCOPE}, {@code --auth-scope}
 */
public record ModelServerAuth(Set<String> tokenSha256, Scope scope) {
  public static final ModelServerAuth NONE = new ModelServerAuth(Set.of(), Scope.MANAGEMENT);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** What needs a token once tokens are configured. */
  public enum Scope {
    MANAGEMENT,
    ALL
  }

  public ModelServerAuth {
    tokenSha256 = Set.copyOf(tokenSha256);
    Objects.requireNonNull(scope, "scope");
  }

  /** Whether any token is configured (else everything is open). */
  public boolean enabled() {
    return !tokenSha256.isEmpty();
  }

  /**
   * Whether a request to {@code endpoint} (the server's route names: {@code live}, {@code ready},
   * {@code model_ready}, {@code infer}, {@code model_metadata}, {@code server_metadata},
   * {@code metrics}, {@code unknown}) needs a token.
   */
  public boolean requiresToken(String endpoint) {
    if (!enabled() || endpoint.equals("live") || endpoint.equals("ready") || endpoint.equals("model_ready")) {
      return false;
    }
    boolean inference = endpoint.equals("infer") || endpoint.equals("model_metadata") || endpoint.equals("server_metadata");
    return !inference || scope == Scope.ALL;
  }

  /** Whether an {@code Authorization} header carries an accepted token (compared by hash, in constant time). */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(7).trim()).getBytes(StandardCharsets.US_ASCII);
    boolean accepted = false;
    for (String hash : tokenSha256) {
      accepted |= MessageDigest.isEqual(presented, hash.getBytes(StandardCharsets.US_ASCII));
    }
    return accepted;
  }

  static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The authentication configured by the three settings (each may be null).
   *
   * @throws IllegalArgumentException on a malformed hash, an unreadable or empty file, an unknown scope,
   *     or a scope without tokens
   */
  static ModelServerAuth resolve(String hashes, String tokensFile, String scope) {
    Set<String> accepted = new LinkedHashSet<>();
    if (hashes != null) {
      for (String h : hashes.split(",")) {
        String hash = h.trim().toLowerCase(Locale.ROOT);
        if (hash.isEmpty()) {
          continue;
        }
        if (!SHA256.matcher(hash).matches()) {
          throw new IllegalArgumentException("EDGELOOP_AUTH_TOKEN_SHA256 holds '" + h.trim() + "', not a SHA-256 in hex (64 characters)");
        }
        accepted.add(hash);
      }
    }
    if (tokensFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(tokensFile));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read EDGELOOP_AUTH_TOKENS_FILE " + tokensFile + ": " + e, e);
      }
      int before = accepted.size();
      lines.stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(ModelServerAuth::sha256).forEach(accepted::add);
      if (accepted.size() == before) {
        throw new IllegalArgumentException("EDGELOOP_AUTH_TOKENS_FILE " + tokensFile + " holds no token");
      }
    }
    Scope s = Scope.MANAGEMENT;
    if (scope != null) {
      try {
        s = Scope.valueOf(scope.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("EDGELOOP_AUTH_SCOPE must be management or all, got '" + scope + "'");
      }
      if (accepted.isEmpty()) {
        throw new IllegalArgumentException("EDGELOOP_AUTH_SCOPE is set but no token is: set EDGELOOP_AUTH_TOKEN_SHA256 or EDGELOOP_AUTH_TOKENS_FILE");
      }
    }
    return new ModelServerAuth(accepted, s);
  }
}
