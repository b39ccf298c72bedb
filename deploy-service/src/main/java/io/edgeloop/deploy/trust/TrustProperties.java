package io.edgeloop.deploy.trust;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which images may run ({@code edgeloop.deploy.trust.*}): where they may come from, and whose
 * signature they must carry. Anything else is rejected before it is pulled.
 *
 * @param registries registry hosts ({@code host[:port]}) images may be pulled from (default: the
 *     packaging service's registry, {@code edgeloop.packaging.registry}, else {@code 127.0.0.1:5000})
 * @param repositories repository paths inside those registries, as globs ({@code *} = any
 *     characters, including {@code /}; default: the packaging service's
 *     {@code <edgeloop.packaging.repository-prefix>/*}, else {@code edgeloop/*})
 * @param requireSignatures an image runs only when a signature by one of {@link #signingKeys} is
 *     stored for its digest in its registry (default true). With no key configured every image is
 *     then rejected, with a reason that names {@code signing-keys}: secure by default. {@code false}
 *     runs unsigned images (the allow-list still applies) and is logged as a warning at start
 * @param signingKeys PEM public key files ({@code -----BEGIN PUBLIC KEY-----}, ECDSA P-256, what
 *     packaging-service writes to {@code <data-dir>/packaging/signing.pub} and serves at
 *     {@code GET /api/images/signing-key}; also what {@code cosign generate-key-pair} writes). A
 *     signature by any of them is accepted, so list the old and the new key while rotating; a file
 *     may hold several keys. Read at each check, not at start: a key file that appears or changes
 *     later (packaging makes its pair on first start) is used without a restart. A listed file that
 *     is missing or unreadable makes the check undecidable: the image waits (retried with the
 *     event's backoff), it is not rejected (default none)
 * @param registryCredentials user and password per registry for reading signatures from registries
 *     that need them; each is sent only to its own registry (and the token service that registry
 *     names), never to another one, and never in clear text except to this host (default none:
 *     anonymous)
 * @param plainHttpRegistries registries not on this host to read signatures from over plain HTTP
 *     (test labs only; default none). Loopback registries (127.0.0.1, localhost, ::1) are read over
 *     plain HTTP anyway, as packaging pushes to them
 * @param registryTimeout connect and read timeout of one registry request while checking a signature
 *     (default 10s); a registry that does not answer within it counts as unreachable: the check is
 *     tried again later
 */
@ConfigurationProperties("edgeloop.deploy.trust")
public record TrustProperties(
    List<String> registries, List<String> repositories, Boolean requireSignatures, List<Path> signingKeys,
    List<RegistryLogin> registryCredentials, List<String> plainHttpRegistries, Duration registryTimeout) {

  public TrustProperties {
    registries = registries == null || registries.isEmpty() ? List.of("127.0.0.1:5000")
        : registries.stream().map(TrustProperties::normalise).toList();
    repositories = repositories == null || repositories.isEmpty() ? List.of("edgeloop/*")
        : repositories.stream().map(String::trim).toList();
    requireSignatures = requireSignatures == null || requireSignatures;
    signingKeys = signingKeys == null ? List.of() : signingKeys.stream().filter(Objects::nonNull)
        .filter(p -> !p.toString().isBlank()).toList();
    registryCredentials = registryCredentials == null ? List.of() : List.copyOf(registryCredentials);
    plainHttpRegistries = plainHttpRegistries == null ? List.of()
        : plainHttpRegistries.stream().map(TrustProperties::normalise).toList();
    registryTimeout = registryTimeout == null ? Duration.ofSeconds(10) : registryTimeout;
  }

  private static String normalise(String registry) {
    return registry.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Credentials for one registry.
   *
   * @param registry {@code host[:port]} exactly as image references name it
   * @param username user (for an Azure Container Registry token: the token name)
   * @param password password or token
   */
  public record RegistryLogin(String registry, String username, String password) {
    public RegistryLogin {
      Objects.requireNonNull(registry, "edgeloop.deploy.trust.registry-credentials[].registry is required");
      Objects.requireNonNull(username, "edgeloop.deploy.trust.registry-credentials[].username is required");
      registry = normalise(registry);
    }

    @Override
    public String toString() {
      return "RegistryLogin[" + registry + ", " + username + ", ****]";
    }
  }
}
