package io.edgeloop.deploy.iotedge;

import io.edgeloop.deploy.target.TargetSpec;
import java.util.Map;

/**
 * An iotedge target's connection settings.
 *
 * @param connectionString IoT Hub service connection string (key {@code connection-string}; policy
 *     with Registry Write + Service Connect; or set env {@code EDGELOOP_IOTHUB_CONNECTION_STRING})
 * @param deviceId apply the manifest to this one device (key {@code device-id}); or
 * @param targetCondition create an IoT Hub deployment for every device matching this condition
 *     (key {@code target-condition}, e.g. {@code tags.site='plant-a'})
 * @param priority that deployment's priority (key {@code priority}; default 10)
 * @param hostPort the device port the model server is published on (key {@code host-port}; default 9000)
 * @param registryAddress registry the device pulls from, with credentials when it needs them (keys
 *     {@code registry-address}, {@code registry-username}, {@code registry-password})
 * @param edgeRuntimeVersion edgeAgent / edgeHub image tag (key {@code edge-runtime-version}; default 1.5)
 * @param memoryBytes module memory limit in bytes (key {@code memory-bytes}; default none)
 * @param httpProxy {@code host:port} of an HTTP proxy to reach IoT Hub through (key {@code http-proxy}; default none)
 */
public record IotEdgeSettings(
    String connectionString, String deviceId, String targetCondition, int priority, int hostPort,
    String registryAddress, String registryUsername, String registryPassword, String edgeRuntimeVersion, Long memoryBytes,
    String httpProxy) {

  public static IotEdgeSettings of(TargetSpec spec) {
    Map<String, String> c = spec.connection();
    String device = c.get("device-id");
    String condition = c.get("target-condition");
    if ((device == null) == (condition == null)) {
      throw new IllegalArgumentException("iotedge target " + spec.name() + " needs exactly one of connection.device-id and connection.target-condition");
    }
    return new IotEdgeSettings(
        c.getOrDefault("connection-string", System.getenv("EDGELOOP_IOTHUB_CONNECTION_STRING")),
        device, condition,
        Integer.parseInt(c.getOrDefault("priority", "10")),
        Integer.parseInt(c.getOrDefault("host-port", "9000")),
        c.get("registry-address"), c.get("registry-username"), c.get("registry-password"),
        c.getOrDefault("edge-runtime-version", "1.5"),
        c.containsKey("memory-bytes") ? Long.parseLong(c.get("memory-bytes")) : null,
        c.get("http-proxy"));
  }
}
