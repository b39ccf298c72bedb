package io.edgeloop.deploy.trust;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where images may come from ({@code edgeloop.deploy.trust.*}). Anything else is rejected before
 * it is pulled.
 *
 * @param registries registry hosts ({@code host[:port]}) images may be pulled from (default: the
 *     packaging service's registry, {@code edgeloop.packaging.registry}, else {@code 127.0.0.1:5000})
 * @param repositories repository paths inside those registries, as globs ({@code *} = any
 *     characters, including {@code /}; default: the packaging service's
 *     {@code <edgeloop.packaging.repository-prefix>/*}, else {@code edgeloop/*})
 */
@ConfigurationProperties("edgeloop.deploy.trust")
public record TrustProperties(List<String> registries, List<String> repositories) {
  public TrustProperties {
    registries = registries == null || registries.isEmpty() ? List.of("127.0.0.1:5000")
        : registries.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).toList();
    repositories = repositories == null || repositories.isEmpty() ? List.of("edgeloop/*")
        : repositories.stream().map(String::trim).toList();
  }
}
