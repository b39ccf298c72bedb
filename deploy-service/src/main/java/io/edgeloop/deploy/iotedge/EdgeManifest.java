package io.edgeloop.deploy.iotedge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.StackId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code modulesContent} of a <em>layered</em> IoT Edge deployment for one model version: it
 * sets only edgeloop's parts, by property path, on top of the device's base deployment, so the
 * device keeps its runtime settings, its system modules and every other module:
 * <ul>
 *   <li>{@code $edgeAgent}: {@code properties.desired.modules.<module>} (the model server pinned by
 *       digest, its createOptions: port published on the device, memory limit, labels including the
 *       stack id) and, when configured, {@code properties.desired.runtime.settings.registryCredentials.edgeloop};
 *   <li>{@code $edgeHub}: {@code properties.desired.routes.<module>ToUpstream} (the module's outputs upstream);
 *   <li>the module twin's {@code properties.desired} (model name, version, digest).
 * </ul>
 */
public final class EdgeManifest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MODULE_PATH = "properties.desired.modules.";
  static final String ROUTE_PATH = "properties.desired.routes.";
  static final String CREDENTIALS_PATH = "properties.desired.runtime.settings.registryCredentials.edgeloop";

  private EdgeManifest() {}

  /** The module name for a model: IoT Edge allows letters, digits, '-' and '_'. */
  public static String moduleName(String model) {
    return model.replaceAll("[^a-zA-Z0-9_-]", "-");
  }

  /** The layer's {@code modulesContent}. */
  public static Map<String, Map<String, Object>> layer(Release release, IotEdgeSettings settings, StackId stack) {
    String module = moduleName(release.modelName());
    Map<String, Object> agent = new LinkedHashMap<>();
    agent.put(MODULE_PATH + module, module(release, settings, stack));
    if (settings.registryAddress() != null && settings.registryUsername() != null) {
      agent.put(CREDENTIALS_PATH, Map.of(
          "address", settings.registryAddress(),
          "username", settings.registryUsername(),
          "password", settings.registryPassword() == null ? "" : settings.registryPassword()));
    }
    Map<String, Map<String, Object>> content = new LinkedHashMap<>();
    content.put("$edgeAgent", agent);
    content.put("$edgeHub", Map.of(ROUTE_PATH + module + "ToUpstream",
        "FROM /messages/modules/" + module + "/outputs/* INTO $upstream"));
    content.put(module, Map.of("properties.desired", Map.of(
        "modelName", release.modelName(), "modelVersion", release.modelVersion(), "imageDigest", release.digest())));
    return content;
  }

  private static Map<String, Object> module(Release release, IotEdgeSettings settings, StackId stack) {
    Map<String, Object> hostConfig = new LinkedHashMap<>();
    hostConfig.put("PortBindings", Map.of("8080/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", Integer.toString(settings.hostPort())))));
    if (settings.memoryBytes() != null) {
      hostConfig.put("Memory", settings.memoryBytes());
    }
    Map<String, Object> createOptions = Map.of(
        "ExposedPorts", Map.of("8080/tcp", Map.of()),
        "HostConfig", hostConfig,
        "Labels", Map.of("io.edgeloop.model.name", release.modelName(),
            "io.edgeloop.model.version", Integer.toString(release.modelVersion()), StackId.LABEL, stack.value()));
    Map<String, Object> module = new LinkedHashMap<>();
    module.put("version", Integer.toString(release.modelVersion()));
    module.put("type", "docker");
    module.put("status", "running");
    module.put("restartPolicy", "always");
    module.put("env", Map.of("EDGELOOP_HOST", Map.of("value", "0.0.0.0"), "EDGELOOP_PORT", Map.of("value", "8080")));
    module.put("settings", Map.of("image", release.pinnedImage(), "createOptions", json(createOptions)));
    return module;
  }

  /** The layer as JSON ({@code {"modulesContent": ...}}), as {@code az iot edge deployment create --layered --content} takes it. */
  public static String toJson(Release release, IotEdgeSettings settings, StackId stack) {
    return json(Map.of("modulesContent", layer(release, settings, stack)));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
