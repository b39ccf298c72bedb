package io.edgeloop.deploy.target;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The configured targets, built once by kind; the one place a kind name is turned into code. */
public class TargetRegistry implements AutoCloseable {
  private final Map<String, DeploymentTarget> targets = new LinkedHashMap<>();

  public TargetRegistry(List<TargetSpec> specs, List<TargetFactory> factories) {
    Map<String, TargetFactory> byKind =
        factories.stream().collect(Collectors.toMap(TargetFactory::kind, f -> f));
    for (TargetSpec spec : specs) {
      TargetFactory factory = byKind.get(spec.kind());
      if (factory == null) {
        throw new IllegalArgumentException("target " + spec.name() + " has unknown kind '" + spec.kind()
            + "'; known kinds: " + new java.util.TreeSet<>(byKind.keySet()));
      }
      if (targets.containsKey(spec.name())) {
        throw new IllegalArgumentException("two targets are named " + spec.name());
      }
      targets.put(spec.name(), factory.create(spec));
    }
  }

  public Collection<DeploymentTarget> all() {
    return targets.values();
  }

  public Optional<DeploymentTarget> find(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  @Override
  public void close() {
    targets.values().forEach(DeploymentTarget::close);
  }
}
