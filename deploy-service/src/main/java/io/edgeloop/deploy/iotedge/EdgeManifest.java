package io.edgeloop.deploy.iotedge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.deploy.target.Release;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the IoT Edge deployment manifest ({@code modulesContent}) for one model: the system
 * modules ($edgeAgent, $edgeHub), the model server module pinned by digest with its
 * createOptions (port published on the device, restart policy, memory limit), a route of its
 * outputs upstream, and its module twin naming the version.
 */
public final class EdgeManifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EdgeManifest() {}

  /** The module name for a model: IoT Edge allows letters, digits, '-' and '_'. */
  public static String moduleName(String model) {
    return model.replaceAll("[^a-zA-Z0-9_-]", "-");
  }

  /** The manifest's {@code modulesContent}. */
  public static Map<String, Map<String, Object>> modulesContent(Release release, IotEdgeSettings settings) {
    String module = moduleName(release.modelName());
    Map<String, Object> runtimeSettings = new LinkedHashMap<>();
    runtimeSettings.put("minDockerVersion", "v1.25");
    if (settings.registryAddress() != null && settings.registryUsername() != null) {
      runtimeSettings.put("registryCredentials", Map.of("edgeloop", Map.of(
          "address", settings.registryAddress(),
          "username", settings.registryUsername(),
          "password", settings.registryPassword() == null ? "" : settings.registryPassword())));
    }
    String edgeVersion = settings.edgeRuntimeVersion();
    Map<String, Object> systemModules = Map.of(
        "edgeAgent", Map.of("type", "docker", "settings", Map.of(
            "image", "mcr.microsoft.com/azureiotedge-agent:" + edgeVersion, "createOptions", "{}")),
        "edgeHub", Map.of("type", "docker", "status", "running", "restartPolicy", "always", "settings", Map.of(
            "image", "mcr.microsoft.com/azureiotedge-hub:" + edgeVersion,
            "createOptions", json(Map.of("HostConfig", Map.of("PortBindings", Map.of(
                "5671/tcp", List.of(Map.of("HostPort", "5671")),
                "8883/tcp", List.of(Map.of("HostPort", "8883")),
                "443/tcp", List.of(Map.of("HostPort", "443")))))))));

    Map<String, Object> hostConfig = new LinkedHashMap<>();
    hostConfig.put("PortBindings", Map.of("8080/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", Integer.toString(settings.hostPort())))));
    if (settings.memoryBytes() != null) {
      hostConfig.put("Memory", settings.memoryBytes());
    }
    Map<String, Object> createOptions = Map.of(
        "ExposedPorts", Map.of("8080/tcp", Map.of()),
        "HostConfig", hostConfig,
        "Labels", Map.of("io.edgeloop.model.name", release.modelName(),
            "io.edgeloop.model.version", Integer.toString(release.modelVersion())));
    Map<String, Object> modelModule = new LinkedHashMap<>();
    modelModule.put("version", Integer.toString(release.modelVersion()));
    modelModule.put("type", "docker");
    modelModule.put("status", "running");
    modelModule.put("restartPolicy", "always");
    modelModule.put("env", Map.of("EDGELOOP_HOST", Map.of("value", "0.0.0.0"), "EDGELOOP_PORT", Map.of("value", "8080")));
    modelModule.put("settings", Map.of("image", release.pinnedImage(), "createOptions", json(createOptions)));

    Map<String, Object> agentDesired = new LinkedHashMap<>();
    agentDesired.put("schemaVersion", "1.1");
    agentDesired.put("runtime", Map.of("type", "docker", "settings", runtimeSettings));
    agentDesired.put("systemModules", systemModules);
    agentDesired.put("modules", Map.of(module, modelModule));

    Map<String, Object> hubDesired = new LinkedHashMap<>();
    hubDesired.put("schemaVersion", "1.1");
    hubDesired.put("routes", Map.of(module + "ToUpstream", "FROM /messages/modules/" + module + "/outputs/* INTO $upstream"));
    hubDesired.put("storeAndForwardConfiguration", Map.of("timeToLiveSecs", 7200));

    Map<String, Map<String, Object>> content = new LinkedHashMap<>();
    content.put("$edgeAgent", Map.of("properties.desired", agentDesired));
    content.put("$edgeHub", Map.of("properties.desired", hubDesired));
    content.put(module, Map.of("properties.desired", Map.of(
        "modelName", release.modelName(), "modelVersion", release.modelVersion(), "imageDigest", release.digest())));
    return content;
  }

  /** The whole manifest as JSON, as {@code az iot edge set-modules --content} takes it. */
  public static String toJson(Release release, IotEdgeSettings settings) {
    return json(Map.of("modulesContent", modulesContent(release, settings)));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
