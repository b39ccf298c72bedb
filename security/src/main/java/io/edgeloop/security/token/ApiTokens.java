package io.edgeloop.security.token;

import io.edgeloop.security.Role;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * edgeloop API tokens in {@code edgeloop_auth.api_token}: issue, list, revoke, look up. A secret
 * leaves this class only in the {@link IssuedToken} returned when it is made.
 */
public class ApiTokens {
  /** Name length limit, so a name stays a label. */
  public static final int MAX_NAME_LENGTH = 100;
  /** {@code last_used_at} is written at most this often per token, not on every request. */
  private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
  private static final String COLUMNS = "id, name, roles, run_id, created_at, expires_at, revoked_at, last_used_at";

  private final JdbcTemplate jdbc;
  private final Clock clock;

  public ApiTokens(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Issues a token for a person or a system.
   *
   * @param expiresAt null = never expires
   * @throws IllegalArgumentException for a blank or long name, no roles, the run role, or an expiry in the past
   */
  public IssuedToken issue(String name, Set<Role> roles, Instant expiresAt) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a token needs a name of 1 to " + MAX_NAME_LENGTH + " characters");
    }
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("a token needs at least one role: " + Role.PEOPLE.stream().map(Role::wire).toList());
    }
    if (roles.contains(Role.RUN)) {
      throw new IllegalArgumentException("role 'run' is given only to the token of a run, when it starts");
    }
    return insert(name.trim(), roles, null, expiresAt, TokenSecrets.newToken());
  }

  /**
   * Issues the token of one run (role {@code run}, named {@code run-<runId>}): the only credential that
   * may post metrics to it.
   */
  public IssuedToken issueRunToken(String runId, Instant expiresAt) {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("a run token needs a run id");
    }
    return insert("run-" + runId, Set.of(Role.RUN), runId, expiresAt, TokenSecrets.newToken());
  }

  /**
   * Stores a token made elsewhere (the bootstrap admin token written by one-command mode) unless its
   * hash is already stored.
   *
   * @return true when it was stored now
   */
  public boolean storeIfAbsent(String token, String name, Set<Role> roles) {
    if (!TokenSecrets.isApiToken(token)) {
      throw new IllegalArgumentException("not an edgeloop API token (elt_ followed by 43 base64url characters)");
    }
    // "on conflict do nothing": services starting together on one database store it once, without an error.
    return insert(UUID.randomUUID(), name, roles, null, null, token, " on conflict (token_sha256) do nothing") == 1;
  }

  private IssuedToken insert(String name, Set<Role> roles, String runId, Instant expiresAt, String token) {
    UUID id = UUID.randomUUID();
    insert(id, name, roles, runId, expiresAt, token, "");
    return new IssuedToken(id, name, roles, expiresAt, token);
  }

  /** @return rows inserted (0 when {@code onConflict} skipped it) */
  private int insert(UUID id, String name, Set<Role> roles, String runId, Instant expiresAt, String token, String onConflict) {
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("expiresAt " + expiresAt + " is not in the future");
    }
    String[] roleNames = roles.stream().map(Role::wire).sorted().toArray(String[]::new);
    return jdbc.update(connection -> {
      var ps = connection.prepareStatement(
          "insert into edgeloop_auth.api_token (id, name, token_sha256, roles, run_id, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)"
              + onConflict);
      ps.setObject(1, id);
      ps.setString(2, name);
      ps.setString(3, TokenSecrets.sha256(token));
      ps.setArray(4, connection.createArrayOf("text", roleNames));
      ps.setString(5, runId);
      ps.setTimestamp(6, Timestamp.from(now));
      ps.setTimestamp(7, expiresAt == null ? null : Timestamp.from(expiresAt));
      return ps;
    });
  }

  /** Every token except run tokens (those are internal, one per run), newest first; revoked ones too. */
  public List<ApiToken> list() {
    return jdbc.query("select " + COLUMNS + " from edgeloop_auth.api_token where run_id is null order by created_at desc", ROW);
  }

  /** The tokens of one run (normally one per attempt). */
  public List<ApiToken> runTokens(String runId) {
    return jdbc.query("select " + COLUMNS + " from edgeloop_auth.api_token where run_id = ? order by created_at", ROW, runId);
  }

  public Optional<ApiToken> find(UUID id) {
    return jdbc.query("select " + COLUMNS + " from edgeloop_auth.api_token where id = ?", ROW, id).stream().findFirst();
  }

  /**
   * Revokes a token: from now on it is refused (already revoked: unchanged).
   *
   * @return false when there is no such token
   */
  public boolean revoke(UUID id) {
    jdbc.update("update edgeloop_auth.api_token set revoked_at = ? where id = ? and revoked_at is null", Timestamp.from(clock.instant()), id);
    return find(id).isPresent();
  }

  /** Revokes every token of a run (when it ends, or when a crashed attempt is recovered); returns how many. */
  public int revokeRunTokens(String runId) {
    return jdbc.update("update edgeloop_auth.api_token set revoked_at = ? where run_id = ? and revoked_at is null",
        Timestamp.from(clock.instant()), runId);
  }

  /**
   * The stored token whose secret is {@code token}, checked for revocation and expiry, and marked used.
   *
   * @throws RefusedTokenException saying why it is refused
   */
  public ApiToken authenticate(String token) {
    if (!TokenSecrets.isApiToken(token)) {
      throw new RefusedTokenException("not an edgeloop API token");
    }
    ApiToken found = find(TokenSecrets.sha256(token)).orElseThrow(() -> new RefusedTokenException("unknown token"));
    Instant now = clock.instant();
    String refusal = found.refusal(now);
    if (refusal != null) {
      throw new RefusedTokenException(refusal);
    }
    if (found.lastUsedAt() == null || found.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION))) {
      jdbc.update("update edgeloop_auth.api_token set last_used_at = ? where id = ?", Timestamp.from(now), found.id());
    }
    return found;
  }

  private Optional<ApiToken> find(String sha256) {
    return jdbc.query("select " + COLUMNS + " from edgeloop_auth.api_token where token_sha256 = ?", ROW, sha256).stream().findFirst();
  }

  private static final RowMapper<ApiToken> ROW = (rs, i) -> new ApiToken(
      rs.getObject("id", UUID.class), rs.getString("name"), roles(rs.getArray("roles")), rs.getString("run_id"),
      instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "revoked_at"), instant(rs, "last_used_at"));

  private static Set<Role> roles(Array array) throws SQLException {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Arrays.stream((String[]) array.getArray()).map(Role::parse).forEach(roles::add);
    return roles;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  /** Why a presented token is not accepted; the message is safe to show to its sender. */
  public static final class RefusedTokenException extends RuntimeException {
    public RefusedTokenException(String message) {
      super(message);
    }
  }
}
