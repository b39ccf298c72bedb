package io.edgeloop.training.compute;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgeloop.training.config.TrainingProperties;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured compute targets by name, built once from {@code edgeloop.training.compute}. */
public class ComputeTargets {
  private static final Logger log = LoggerFactory.getLogger(ComputeTargets.class);
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

  /**
   * The engine's own API version (from the unversioned {@code /version}), so that docker-java does
   * not speak a newer API than the engine (Debian's 20.10 tops out at 1.41) nor an older one than a
   * recent engine accepts. Null when the engine cannot be reached now (docker-java's default then).
   */
  private static String engineApiVersion(ApacheDockerHttpClient http, String name) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path("/version").build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      JsonNode json = new ObjectMapper().readTree(response.getBody());
      return json.path("ApiVersion").isTextual() ? json.get("ApiVersion").asText() : null;
    } catch (Exception e) {
      log.warn("Docker engine of compute target '{}' is unreachable now ({}); using docker-java's default API version", name, e.toString());
      return null;
    }
  }

  private static ComputeTarget create(String name, TrainingProperties.Compute c) {
    return switch (c.kind()) {
      case "local" -> new LocalComputeTarget(name, c.passEnv());
      case "docker" -> {
        String host = c.dockerHost() == null ? "unix:///var/run/docker.sock" : c.dockerHost();
        ApacheDockerHttpClient http =
            new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(host))
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
        String version = c.apiVersion() != null ? c.apiVersion() : engineApiVersion(http, name);
        if (version != null) {
          config.withApiVersion(version);
        }
        ContainerSandbox sandbox = new ContainerSandbox(c.user(), c.memory().toBytes(), c.cpus(), c.pidsLimit(), c.network(), c.tmpSize().toBytes());
        yield new DockerComputeTarget(name, DockerClientImpl.getInstance(config.build(), http), sandbox);
      }
      default -> throw new IllegalArgumentException(
          "compute target '" + name + "' has unknown kind '" + c.kind() + "'; kinds: local, docker");
    };
  }
}
