package io.edgeloop.security;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How a service authenticates and authorises its API ({@code edgeloop.security.*}).
 *
 * @param mode {@code token} (default): every API needs a bearer token; {@code none}: no
 *     authentication, accepted only when the service binds to loopback ({@code server.address}
 *     127.0.0.1, ::1 or localhost), otherwise the service refuses to start
 * @param metricsOpen whether {@code /actuator/prometheus} answers without a token (default true, so
 *     a plain Prometheus scrape works; in production set false and give Prometheus a viewer token)
 * @param maxBodyBytes the largest request body an API accepts, judged before the body is read
 *     (default 1 MiB); larger ones get 413. Endpoints that take files have their own limit
 * @param allowedHosts host names accepted in the {@code Host} header besides localhost, 127.0.0.1
 *     and [::1] (DNS-rebinding protection; checked when the service binds to loopback, or whenever
 *     this list is not empty)
 * @param bootstrapTokenFile a file holding an edgeloop API token; at start, if that token is not in
 *     the store, it is stored as {@code admin} named {@code bootstrap-admin} (one-command mode writes
 *     {@code <data-dir>/admin.token})
 * @param oidc the site's identity provider, whose JWT access tokens are accepted too
 * @param tokenStore the database of edgeloop API tokens (default: the service's own DataSource)
 */
@ConfigurationProperties("edgeloop.security")
public record EdgeloopSecurityProperties(
    Mode mode,
    Boolean metricsOpen,
    DataSize maxBodyBytes,
    List<String> allowedHosts,
    Path bootstrapTokenFile,
    Oidc oidc,
    TokenStore tokenStore) {

  public static final DataSize DEFAULT_MAX_BODY = DataSize.ofMegabytes(1);

  public EdgeloopSecurityProperties {
    mode = mode == null ? Mode.TOKEN : mode;
    metricsOpen = metricsOpen == null || metricsOpen;
    maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY : maxBodyBytes;
    if (maxBodyBytes.toBytes() <= 0) {
      throw new IllegalArgumentException("edgeloop.security.max-body-bytes must be positive, got " + maxBodyBytes);
    }
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    oidc = oidc == null ? new Oidc(null, null, null, null, null) : oidc;
    tokenStore = tokenStore == null ? new TokenStore(null, null, null) : tokenStore;
  }

  /** Whether a token is needed. */
  public enum Mode {
    TOKEN,
    NONE
  }

  /**
   * OIDC / JWT access tokens, validated by Spring Security's resource server (Nimbus).
   *
   * @param issuerUri the issuer; its discovery document gives the key set, and a token's {@code iss}
   *     must equal it
   * @param jwkSetUri the key set, when the provider has no discovery document (with {@code issuerUri}
   *     as well, {@code iss} is still checked)
   * @param audience when set, a token's {@code aud} must contain it
   * @param rolesClaim the claim holding the roles (default {@code roles}); a dotted path such as
   *     {@code realm_access.roles} walks nested objects; a list or a space/comma-separated string
   * @param rolePrefix only claim values with this prefix count, with it removed (default none), e.g.
   *     {@code edgeloop-} for {@code edgeloop-operator}
   */
  public record Oidc(URI issuerUri, URI jwkSetUri, String audience, String rolesClaim, String rolePrefix) {
    public Oidc {
      rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
      rolePrefix = rolePrefix == null ? "" : rolePrefix;
    }

    /** Whether JWTs are accepted at all. */
    public boolean enabled() {
      return issuerUri != null || jwkSetUri != null;
    }
  }

  /**
   * Where edgeloop API tokens are kept (table {@code edgeloop_auth.api_token}). Point every service
   * at one database in distributed mode, so that a token works on each.
   *
   * @param url JDBC URL; empty = the service's own DataSource
   * @param username user for {@code url}
   * @param password password for {@code url}
   */
  public record TokenStore(String url, String username, String password) {
    public boolean configured() {
      return url != null && !url.isBlank();
    }
  }
}
