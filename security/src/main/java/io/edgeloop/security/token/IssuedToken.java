package io.edgeloop.security.token;

import io.edgeloop.security.Role;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A token just issued: the only time its secret is known outside the caller.
 *
 * @param token the secret ({@code elt_...}), to be given to its holder once
 */
public record IssuedToken(UUID id, String name, Set<Role> roles, Instant expiresAt, String token) {
  public IssuedToken {
    roles = Set.copyOf(roles);
  }

  @Override
  public String toString() {
    return "IssuedToken[id=" + id + ", name=" + name + ", roles=" + roles + ", expiresAt=" + expiresAt + "]";
  }
}
