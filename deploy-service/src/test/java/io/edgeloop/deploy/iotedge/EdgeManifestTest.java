package io.edgeloop.deploy.iotedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.TargetSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated manifest against the published IoT Edge deployment schema (draft-04, from SchemaStore). */
class EdgeManifestTest {
  static final Release RELEASE = new Release("turbofan-rul", 7, "registry.example:5000/edgeloop/turbofan-rul:7",
      "sha256:" + "5e".repeat(32));
  private final ObjectMapper json = new ObjectMapper();

  static IotEdgeSettings settings(Map<String, String> extra) {
    Map<String, String> connection = new java.util.HashMap<>(Map.of("device-id", "gateway-1"));
    connection.putAll(extra);
    return IotEdgeSettings.of(new TargetSpec("plant-a", "iotedge", Map.of(), connection));
  }

  @Test
  void shouldConformToTheDeploymentSchema() throws Exception {
    JsonSchema schema = schema();
    for (IotEdgeSettings settings : new IotEdgeSettings[] {
        settings(Map.of()),
        settings(Map.of("registry-address", "registry.example:5000", "registry-username", "u", "registry-password", "p",
            "memory-bytes", "536870912"))}) {
      JsonNode manifest = json.readTree(EdgeManifest.toJson(RELEASE, settings));

      Set<ValidationMessage> errors = schema.validate(manifest);

      assertThat(errors).isEmpty();
    }
  }

  @Test
  void shouldRejectWhatTheSchemaForbids() throws Exception {
    JsonSchema schema = schema();
    JsonNode manifest = json.readTree(EdgeManifest.toJson(RELEASE, settings(Map.of())));
    ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.path("modulesContent").path("$edgeAgent")
        .path("properties.desired").path("modules").path("turbofan-rul")).put("restartPolicy", "sometimes");

    assertThat(schema.validate(manifest)).isNotEmpty();
  }

  @Test
  void shouldPinTheModelModuleByDigestAndPublishItOnLoopback() throws Exception {
    JsonNode manifest = json.readTree(EdgeManifest.toJson(RELEASE, settings(Map.of("host-port", "9100"))));
    JsonNode module = manifest.at("/modulesContent/$edgeAgent/properties.desired/modules/turbofan-rul");

    assertThat(module.path("settings").path("image").asText())
        .isEqualTo("registry.example:5000/edgeloop/turbofan-rul@sha256:" + "5e".repeat(32));
    assertThat(module.path("version").asText()).isEqualTo("7");
    JsonNode createOptions = json.readTree(module.path("settings").path("createOptions").asText());
    assertThat(createOptions.at("/HostConfig/PortBindings/8080~1tcp/0/HostIp").asText()).isEqualTo("127.0.0.1");
    assertThat(createOptions.at("/HostConfig/PortBindings/8080~1tcp/0/HostPort").asText()).isEqualTo("9100");
    assertThat(manifest.at("/modulesContent/$edgeHub/properties.desired/routes/turbofan-rulToUpstream").asText())
        .isEqualTo("FROM /messages/modules/turbofan-rul/outputs/* INTO $upstream");
    assertThat(manifest.at("/modulesContent/turbofan-rul/properties.desired/modelVersion").asInt()).isEqualTo(7);
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
