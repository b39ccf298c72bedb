package io.edgeloop.packaging.smoke;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Connects docker-java to an engine, speaking the engine's API version when it is older than the
 * client's default (docker-java 3.7 asks for 1.44 and does not negotiate; Debian's Docker 20.10
 * answers only up to 1.41).
 */
public final class DockerEngines {
  private DockerEngines() {}

  /** A client for {@code host} ({@code unix:///var/run/docker.sock}, {@code tcp://...}); the engine need not be up yet. */
  public static DockerClient connect(String host) {
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(URI.create(host))
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(3))
        .build();
    DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
    String engineVersion = engineApiVersion(http);
    RemoteApiVersion clientDefault = RemoteApiVersion.VERSION_1_44;
    if (engineVersion != null && !RemoteApiVersion.parseConfig(engineVersion).isGreaterOrEqual(clientDefault)) {
      config.withApiVersion(engineVersion);
    }
    return DockerClientImpl.getInstance(config.build(), http);
  }

  /** The API version the engine announces on {@code /_ping}; null when it cannot be reached. */
  static String engineApiVersion(DockerHttpClient http) {
    DockerHttpClient.Request ping = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
        .path("/_ping").build();
    try (DockerHttpClient.Response response = http.execute(ping)) {
      for (Map.Entry<String, List<String>> header : response.getHeaders().entrySet()) {
        if (header.getKey().equalsIgnoreCase("Api-Version") && !header.getValue().isEmpty()) {
          return header.getValue().get(0);
        }
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
