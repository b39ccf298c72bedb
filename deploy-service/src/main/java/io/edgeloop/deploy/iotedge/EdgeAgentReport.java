package io.edgeloop.deploy.iotedge;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a device's edgeAgent reports about edgeloop's module ({@code properties.reported} of the
 * device's {@code $edgeAgent} module twin).
 *
 * @param runtimeStatus {@code running}, {@code backoff} (exited, waiting to restart), {@code failed},
 *     {@code stopped}, {@code unknown}; null when the device does not report the module (yet)
 * @param image the image the device runs for the module
 * @param description edgeAgent's {@code statusDescription} and {@code exitCode}, for messages
 * @param desiredStatusCode {@code lastDesiredStatus.code}: 200 when edgeAgent applied the device's
 *     desired properties, another code when it could not
 */
public record EdgeAgentReport(String deviceId, String runtimeStatus, String image, String description, int desiredStatusCode) {

  /** Reads a {@code $edgeAgent} module twin (as the hub's twin query returns it). */
  public static EdgeAgentReport of(String deviceId, JsonNode reported, String module) {
    JsonNode m = reported.path("modules").path(module);
    String description = m.path("statusDescription").asText("");
    if (m.has("exitCode")) {
      description = (description.isEmpty() ? "" : description + ", ") + "exit code " + m.path("exitCode").asInt();
    }
    return new EdgeAgentReport(deviceId, m.isMissingNode() ? null : m.path("runtimeStatus").asText(null),
        m.path("settings").path("image").asText(null), description,
        reported.path("lastDesiredStatus").path("code").asInt(200));
  }

  boolean runs(String pinnedImage) {
    return "running".equals(runtimeStatus) && pinnedImage.equals(image);
  }

  /** The module with this image exited or could not be started: the version does not work on this device. */
  boolean failed(String pinnedImage) {
    return ("failed".equals(runtimeStatus) || "backoff".equals(runtimeStatus)) && pinnedImage.equals(image);
  }
}
