package io.edgeloop.imagetrust.registry;

import java.util.Objects;

/**
 * A user name and password (or token name and token, for ACR) for one registry. They are sent to
 * that registry (and to the token service it names in its challenge), never to another one.
 *
 * @param registry {@code host[:port]} they belong to
 * @param username user or token name
 * @param password password or token
 */
public record RegistryCredentials(String registry, String username, String password) {
  public RegistryCredentials {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(username, "username");
    password = password == null ? "" : password;
  }

  @Override
  public String toString() {
    return "RegistryCredentials[" + registry + ", " + username + ", ****]";
  }
}
