package io.edgeloop.security.token;

import io.edgeloop.security.Role;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A stored token as the API shows it: never its secret or hash.
 *
 * @param runId the run a run token belongs to; null for other tokens
 * @param expiresAt null = does not expire
 * @param revokedAt null = not revoked
 */
public record ApiToken(UUID id, String name, Set<Role> roles, String runId, Instant createdAt, Instant expiresAt,
    Instant revokedAt, Instant lastUsedAt) {

  public ApiToken {
    roles = Set.copyOf(roles);
  }

  /** Why this token is refused at {@code now}, or null when it is good. */
  public String refusal(Instant now) {
    if (revokedAt != null) {
      return "token '" + name + "' was revoked";
    }
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return "token '" + name + "' expired at " + expiresAt;
    }
    return null;
  }
}
