package io.edgeloop.deploy.target;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One configured deployment target.
 *
 * @param name unique name, used in the REST API, events and metrics
 * @param kind {@code docker}, {@code iotedge} or {@code kubernetes}
 * @param labels free labels the rollout policy selects targets by (e.g. {@code site: plant-a})
 * @param connection kind-specific connection settings (see each kind's settings record)
 */
public record TargetSpec(String name, String kind, Map<String, String> labels, Map<String, String> connection) {
  /** Connection keys whose values are secrets: the REST API shows them redacted. */
  private static final Set<String> SECRET_WORDS = Set.of("key", "secret", "password", "connection-string", "token");

  public TargetSpec {
    Objects.requireNonNull(name, "target name");
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("target name must match [a-z0-9][a-z0-9-]{0,62}, got '" + name + "'");
    }
    Objects.requireNonNull(kind, "kind of target " + name);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    connection = connection == null ? Map.of() : Map.copyOf(connection);
  }

  /** The connection settings with secret values replaced by {@code ***}. */
  public Map<String, String> redactedConnection() {
    Map<String, String> shown = new LinkedHashMap<>();
    new java.util.TreeMap<>(connection).forEach((key, value) -> {
      String lower = key.toLowerCase(java.util.Locale.ROOT);
      shown.put(key, SECRET_WORDS.stream().anyMatch(lower::contains) ? "***" : value);
    });
    return shown;
  }

  /** True when every entry of {@code selector} is among this target's labels. */
  public boolean matches(Map<String, String> selector) {
    return selector == null || selector.entrySet().stream()
        .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
  }
}
