package io.edgeloop.deploy.iotedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The layered deployment against the published IoT Edge deployment schema (draft-04, from
 * SchemaStore). The schema describes whole (base) deployments; a layer sets parts of one by property
 * path. So the test applies the layer to a device's base deployment the way the hub merges them
 * (each dotted path set into the base's {@code properties.desired}) and validates the result, and
 * checks that the layer sets nothing but edgeloop's module, route, registry credentials and module
 * twin: the base's other module and route are still there after the merge.
 */
class EdgeManifestTest {
  static final Release RELEASE = new Release("turbofan-rul", 7, "registry.example:5000/edgeloop/turbofan-rul:7",
      "sha256:" + "5e".repeat(32));
  static final StackId STACK = new StackId("stack-test");
  private static final String BASE = """
      {"modulesContent": {
        "$edgeAgent": {"properties.desired": {
          "schemaVersion": "1.1",
          "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
          "systemModules": {
            "edgeAgent": {"type": "docker", "settings": {"image": "mcr.microsoft.com/azureiotedge-agent:1.5", "createOptions": "{}"}},
            "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                        "settings": {"image": "mcr.microsoft.com/azureiotedge-hub:1.5", "createOptions": "{}"}}},
          "modules": {
            "site-sensor": {"type": "docker", "status": "running", "restartPolicy": "always", "version": "1.0",
                            "settings": {"image": "registry.example:5000/site/sensor:3", "createOptions": "{}"}}}}},
        "$edgeHub": {"properties.desired": {
          "schemaVersion": "1.1",
          "routes": {"sensorToUpstream": "FROM /messages/modules/site-sensor/outputs/* INTO $upstream"},
          "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
      """;
  private final ObjectMapper json = new ObjectMapper();

  static IotEdgeSettings settings(Map<String, String> extra) {
    Map<String, String> connection = new java.util.HashMap<>(Map.of("device-id", "gateway-1"));
    connection.putAll(extra);
    return IotEdgeSettings.of(new TargetSpec("plant-a", "iotedge", Map.of(), connection));
  }

  @Test
  void shouldConformToTheDeploymentSchemaOnceAppliedToABaseDeploymentAndKeepTheDevicesOtherModules() throws Exception {
    JsonSchema schema = schema();
    for (IotEdgeSettings settings : new IotEdgeSettings[] {
        settings(Map.of()),
        settings(Map.of("registry-address", "registry.example:5000", "registry-username", "u", "registry-password", "p",
            "memory-bytes", "536870912"))}) {
      JsonNode merged = applied(json.readTree(EdgeManifest.toJson(RELEASE, settings, STACK)));

      Set<ValidationMessage> errors = schema.validate(merged);

      assertThat(errors).isEmpty();
      assertThat(merged.at("/modulesContent/$edgeAgent/properties.desired/modules/site-sensor/settings/image").asText())
          .isEqualTo("registry.example:5000/site/sensor:3");
      assertThat(merged.at("/modulesContent/$edgeHub/properties.desired/routes/sensorToUpstream").isTextual()).isTrue();
      assertThat(merged.at("/modulesContent/$edgeAgent/properties.desired/systemModules/edgeHub/settings/image").asText())
          .endsWith("azureiotedge-hub:1.5");
    }
  }

  @Test
  void shouldSetOnlyEdgeloopsModuleRouteCredentialsAndTwin() throws Exception {
    JsonNode layer = json.readTree(EdgeManifest.toJson(RELEASE,
        settings(Map.of("registry-address", "r", "registry-username", "u", "registry-password", "p")), STACK)).path("modulesContent");

    assertThat(fieldNames(layer)).containsExactlyInAnyOrder("$edgeAgent", "$edgeHub", "turbofan-rul");
    assertThat(fieldNames(layer.path("$edgeAgent"))).containsExactlyInAnyOrder(
        "properties.desired.modules.turbofan-rul", "properties.desired.runtime.settings.registryCredentials.edgeloop");
    assertThat(fieldNames(layer.path("$edgeHub"))).containsExactly("properties.desired.routes.turbofan-rulToUpstream");
    assertThat(layer.path("$edgeAgent").has("properties.desired")).as("a base deployment's whole desired state").isFalse();
  }

  @Test
  void shouldRejectWhatTheSchemaForbids() throws Exception {
    JsonSchema schema = schema();
    JsonNode layer = json.readTree(EdgeManifest.toJson(RELEASE, settings(Map.of()), STACK));
    ((ObjectNode) layer.path("modulesContent").path("$edgeAgent").path("properties.desired.modules.turbofan-rul"))
        .put("restartPolicy", "sometimes");

    assertThat(schema.validate(applied(layer))).isNotEmpty();
  }

  @Test
  void shouldPinTheModelModuleByDigestPublishItOnLoopbackAndLabelItWithTheStack() throws Exception {
    JsonNode layer = json.readTree(EdgeManifest.toJson(RELEASE, settings(Map.of("host-port", "9100")), STACK));
    JsonNode module = layer.path("modulesContent").path("$edgeAgent").path("properties.desired.modules.turbofan-rul");

    assertThat(module.path("settings").path("image").asText())
        .isEqualTo("registry.example:5000/edgeloop/turbofan-rul@sha256:" + "5e".repeat(32));
    assertThat(module.path("version").asText()).isEqualTo("7");
    JsonNode createOptions = json.readTree(module.path("settings").path("createOptions").asText());
    assertThat(createOptions.at("/HostConfig/PortBindings/8080~1tcp/0/HostIp").asText()).isEqualTo("127.0.0.1");
    assertThat(createOptions.at("/HostConfig/PortBindings/8080~1tcp/0/HostPort").asText()).isEqualTo("9100");
    assertThat(createOptions.at("/Labels/io.edgeloop.stack").asText()).isEqualTo("stack-test");
    assertThat(layer.path("modulesContent").path("$edgeHub").path("properties.desired.routes.turbofan-rulToUpstream").asText())
        .isEqualTo("FROM /messages/modules/turbofan-rul/outputs/* INTO $upstream");
    assertThat(layer.at("/modulesContent/turbofan-rul/properties.desired/modelVersion").asInt()).isEqualTo(7);
  }

  /** The base deployment with the layer applied: every {@code properties.desired.a.b} path set into the base. */
  private JsonNode applied(JsonNode layer) throws Exception {
    ObjectNode merged = (ObjectNode) json.readTree(BASE);
    ObjectNode content = (ObjectNode) merged.path("modulesContent");
    layer.path("modulesContent").fields().forEachRemaining(module -> module.getValue().fields().forEachRemaining(entry -> {
      String[] path = entry.getKey().split("\\.");
      assertThat(path[0] + "." + path[1]).isEqualTo("properties.desired");
      ObjectNode node = content.has(module.getKey()) ? (ObjectNode) content.get(module.getKey()) : content.putObject(module.getKey());
      node = node.has("properties.desired") ? (ObjectNode) node.get("properties.desired") : node.putObject("properties.desired");
      for (int i = 2; i < path.length - 1; i++) {
        node = node.has(path[i]) ? (ObjectNode) node.get(path[i]) : node.putObject(path[i]);
      }
      if (path.length == 2) {
        node.setAll((ObjectNode) entry.getValue());
      } else {
        node.set(path[path.length - 1], entry.getValue());
      }
    }));
    return merged;
  }

  private static java.util.List<String> fieldNames(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private JsonSchema schema() throws Exception {
    Path file = Path.of(System.getProperty("edgeloop.shared.dir", "../../shared"), "specs",
        "azure-iot-edge-deployment-2.0.schema.json");
    assumeTrue(Files.isRegularFile(file), () -> "IoT Edge manifest schema test skipped: " + file.toAbsolutePath()
        + " is absent (set -Dedgeloop.shared.dir to the shared directory)");
    try (InputStream in = Files.newInputStream(file)) {
      // The published schema declares draft-04.
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
  }
}
