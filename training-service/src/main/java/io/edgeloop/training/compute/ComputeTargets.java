package io.edgeloop.training.compute;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.edgeloop.training.config.TrainingProperties;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured compute targets by name, built once from {@code edgeloop.training.compute}. */
public class ComputeTargets {
  private final Map<String, ComputeTarget> targets = new LinkedHashMap<>();
  private final Map<String, Integer> limits = new LinkedHashMap<>();

  public ComputeTargets(TrainingProperties properties) {
    properties.compute().forEach((name, c) -> {
      targets.put(name, create(name, c));
      limits.put(name, c.maxConcurrentRuns());
    });
  }

  public Optional<ComputeTarget> find(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  public Map<String, ComputeTarget> all() {
    return targets;
  }

  public int limit(String name) {
    return limits.getOrDefault(name, 1);
  }

  private static ComputeTarget create(String name, TrainingProperties.Compute c) {
    return switch (c.kind()) {
      case "local" -> new LocalComputeTarget(name);
      case "docker" -> {
        String host = c.dockerHost() == null ? "unix:///var/run/docker.sock" : c.dockerHost();
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        ApacheDockerHttpClient http =
            new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        yield new DockerComputeTarget(name, DockerClientImpl.getInstance(config, http));
      }
      default -> throw new IllegalArgumentException(
          "compute target '" + name + "' has unknown kind '" + c.kind() + "'; kinds: local, docker");
    };
  }
}
