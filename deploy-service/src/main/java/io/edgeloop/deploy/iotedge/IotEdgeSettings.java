package io.edgeloop.deploy.iotedge;

import io.edgeloop.deploy.target.TargetSpec;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;

/**
 * An iotedge target's connection settings.
 *
 * @param connectionString IoT Hub service connection string (key {@code connection-string}; policy
 *     with Registry Write + Service Connect; or set env {@code EDGELOOP_IOTHUB_CONNECTION_STRING})
 * @param deviceId roll out to this one device (key {@code device-id}); or
 * @param targetCondition to every device matching this condition (key {@code target-condition}, e.g.
 *     {@code tags.site='plant-a'})
 * @param priority the layered deployment's priority (key {@code priority}; default 10): where two
 *     layers set the same module, the higher priority wins
 * @param hostPort the device port the model server is published on (key {@code host-port}; default 9000)
 * @param registryAddress registry the devices pull from, with credentials when it needs them (keys
 *     {@code registry-address}, {@code registry-username}, {@code registry-password})
 * @param memoryBytes module memory limit in bytes (key {@code memory-bytes}; default none)
 * @param httpProxy {@code host:port} of an HTTP proxy to reach IoT Hub through (key {@code http-proxy}; default none)
 * @param reportTimeout how long one rollout attempt waits for the devices' edgeAgent to report the
 *     module (key {@code report-timeout}; default 5m); then the rollout is pending and checked again
 *     with backoff (devices that are offline report when they reconnect)
 * @param pollInterval how often the hub's metrics and reports are read during an attempt (key
 *     {@code poll-interval}; default 10s)
 */
public record IotEdgeSettings(
    String connectionString, String deviceId, String targetCondition, int priority, int hostPort,
    String registryAddress, String registryUsername, String registryPassword, Long memoryBytes, String httpProxy,
    Duration reportTimeout, Duration pollInterval) {

  public static IotEdgeSettings of(TargetSpec spec) {
    Map<String, String> c = spec.connection();
    String device = c.get("device-id");
    String condition = c.get("target-condition");
    if ((device == null) == (condition == null)) {
      throw new IllegalArgumentException("iotedge target " + spec.name() + " needs exactly one of connection.device-id and connection.target-condition");
    }
    if (device != null && !device.matches("[A-Za-z0-9\\-.%_*?!(),:=@$]{1,128}")) {
      throw new IllegalArgumentException("iotedge target " + spec.name() + ": '" + device + "' is not an IoT Hub device id");
    }
    return new IotEdgeSettings(
        c.getOrDefault("connection-string", System.getenv("EDGELOOP_IOTHUB_CONNECTION_STRING")),
        device, condition,
        Integer.parseInt(c.getOrDefault("priority", "10")),
        Integer.parseInt(c.getOrDefault("host-port", "9000")),
        c.get("registry-address"), c.get("registry-username"), c.get("registry-password"),
        c.containsKey("memory-bytes") ? Long.parseLong(c.get("memory-bytes")) : null,
        c.get("http-proxy"),
        DurationStyle.detectAndParse(c.getOrDefault("report-timeout", "5m")),
        DurationStyle.detectAndParse(c.getOrDefault("poll-interval", "10s")));
  }

  /** The devices the layer targets: the configured condition, or the one device by id. */
  public String deploymentCondition() {
    return targetCondition != null ? targetCondition : "deviceId='" + deviceId + "'";
  }
}
