package io.edgeloop.deploy.docker;

import io.edgeloop.deploy.target.TargetSpec;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * A docker target's connection settings, read from the target's {@code connection} map.
 *
 * @param host the engine: {@code unix:///var/run/docker.sock} (default) or {@code tcp://host:2375}
 * @param port the stable inference port the deploy service's proxy listens on (key {@code port};
 *     required; 0 picks a free one, for tests)
 * @param bindAddress where that proxy listens (key {@code bind-address}; default 127.0.0.1)
 * @param publishAddress the address the engine publishes container ports on, as the deploy service
 *     reaches it (key {@code publish-address}; default 127.0.0.1, i.e. a local engine)
 * @param containerPort the model server's port inside the image (key {@code container-port}; default 8080)
 * @param memoryBytes container memory limit (key {@code memory}, e.g. {@code 512MB}; default none)
 * @param nanoCpus container CPU limit (key {@code cpus}, e.g. {@code 1.5}; default none)
 * @param restartPolicy {@code no}, {@code always}, {@code unless-stopped} (default) or {@code on-failure}
 * @param env extra container environment: every key {@code env.NAME}
 * @param labels extra container labels: every key {@code label.NAME}
 * @param containerBindAddress the engine-side address container ports are published on (key
 *     {@code container-bind-address}; default 127.0.0.1; a remote engine needs its own address here)
 * @param readyTimeout how long a new container may take to report ready (key {@code ready-timeout}; default 60s)
 * @param drain how long the old container keeps serving connections it already has after the switch
 *     (key {@code drain}; default 2s)
 * @param apiVersion Docker API version to speak (key {@code api-version}; default 1.41, which Docker
 *     20.10 and every newer engine accept)
 * @param requestTimeout timeout of one engine API call (key {@code request-timeout}; default 120s)
 */
public record DockerSettings(
    URI host,
    int port,
    String bindAddress,
    String publishAddress,
    int containerPort,
    Long memoryBytes,
    Long nanoCpus,
    String restartPolicy,
    Map<String, String> env,
    Map<String, String> labels,
    String containerBindAddress,
    Duration readyTimeout,
    Duration drain,
    String apiVersion,
    Duration requestTimeout) {

  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  public static DockerSettings of(TargetSpec spec) {
    Map<String, String> c = spec.connection();
    String port = c.get("port");
    if (port == null) {
      throw new IllegalArgumentException("docker target " + spec.name() + " needs connection.port (its stable inference port)");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    c.forEach((key, value) -> {
      if (key.startsWith("env.")) {
        env.put(key.substring(4), value);
      } else if (key.startsWith("label.")) {
        labels.put(key.substring(6), value);
      }
    });
    String restart = c.getOrDefault("restart-policy", "unless-stopped");
    if (!java.util.Set.of("no", "always", "unless-stopped", "on-failure").contains(restart)) {
      throw new IllegalArgumentException("docker target " + spec.name() + ": restart-policy must be no, always, unless-stopped or on-failure");
    }
    return new DockerSettings(
        URI.create(c.getOrDefault("host", DEFAULT_HOST)),
        Integer.parseInt(port),
        c.getOrDefault("bind-address", "127.0.0.1"),
        c.getOrDefault("publish-address", "127.0.0.1"),
        Integer.parseInt(c.getOrDefault("container-port", "8080")),
        c.containsKey("memory") ? DataSize.parse(c.get("memory")).toBytes() : null,
        c.containsKey("cpus") ? Math.round(Double.parseDouble(c.get("cpus")) * 1e9) : null,
        restart,
        Map.copyOf(env),
        Map.copyOf(labels),
        c.getOrDefault("container-bind-address", "127.0.0.1"),
        duration(c, "ready-timeout", "60s"),
        duration(c, "drain", "2s"),
        c.getOrDefault("api-version", "1.41"),
        duration(c, "request-timeout", "120s"));
  }

  private static Duration duration(Map<String, String> c, String key, String fallback) {
    return DurationStyle.detectAndParse(c.getOrDefault(key, fallback));
  }
}
