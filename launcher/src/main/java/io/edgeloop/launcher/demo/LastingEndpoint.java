package io.edgeloop.launcher.demo;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Where a model the demo deployed to the local Docker engine answers once the demo has exited: its
 * container's own published port. (The deploy service's stable port is a proxy inside the demo's
 * JVM and stops with it.) Reads the labels the Docker target puts on its containers.
 */
final class LastingEndpoint {
  /** Labels of {@code io.edgeloop.deploy.docker.DockerTarget}'s containers. */
  private static final String LABEL_MODEL = "io.edgeloop.model.name";
  private static final String LABEL_VERSION = "io.edgeloop.model.version";
  private static final String SERVING_SUFFIX = "-serving";

  private LastingEndpoint() {}

  /** {@code http://host:port} of the newest running, checked container serving {@code model} v{@code version}. */
  static Optional<String> of(String model, int version) {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    try (var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
        DockerClient docker = DockerClientImpl.getInstance(config, http)) {
      return docker.listContainersCmd()
          .withLabelFilter(Map.of(LABEL_MODEL, model, LABEL_VERSION, Integer.toString(version)))
          .exec().stream()
          .filter(c -> "running".equals(c.getState()))
          .filter(c -> c.getNames() != null && Arrays.stream(c.getNames()).anyMatch(n -> n.endsWith(SERVING_SUFFIX)))
          .max(Comparator.comparing(Container::getCreated))
          .flatMap(LastingEndpoint::published);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Optional<String> published(Container c) {
    return Arrays.stream(c.getPorts())
        .filter(p -> p.getPublicPort() != null) // the model server's one port
        .findFirst()
        .map(p -> "http://" + (p.getIp() == null || p.getIp().equals("0.0.0.0") ? "127.0.0.1" : p.getIp()) + ":" + p.getPublicPort());
  }
}
