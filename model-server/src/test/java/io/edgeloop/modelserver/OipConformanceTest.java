package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks real responses against the schemas of the OIP v2 OpenAPI document in
 * {@code <edgeloop.shared.dir>/specs/open-inference-protocol-v2.rest.yaml} (types, required fields,
 * nested tensors), with a small validator for the subset of OpenAPI the document uses.
 */
class OipConformanceTest {

  @TempDir
  static Path dir;
  static ModelServer server;
  static OipClient client;
  static Map<String, Object> schemas;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void start() throws Exception {
    Path spec = Path.of(System.getProperty("edgeloop.shared.dir", "../../shared"), "specs",
        "open-inference-protocol-v2.rest.yaml");
    assumeTrue(Files.isRegularFile(spec), "OIP spec not found at " + spec.toAbsolutePath()
        + " (set -Dedgeloop.shared.dir): conformance checks skipped");
    try (InputStream in = Files.newInputStream(spec)) {
      Map<String, Object> doc = new Yaml().load(in);
      schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
    }
    server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir.resolve("pkg"))).withPort(0));
    client = new OipClient(server);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serverMetadataShouldMatchTheSchema() {
    assertConforms(client.get("/v2"), 200, "metadata_server_response");
    assertConforms(client.get("/v2/"), 200, "metadata_server_response");
  }

  @Test
  void modelMetadataShouldMatchTheSchema() {
    assertConforms(client.get("/v2/models/rul"), 200, "metadata_model_response");
    assertConforms(client.get("/v2/models/rul/versions/3"), 200, "metadata_model_response");
    assertConforms(client.get("/v2/models/unknown"), 404, "metadata_model_error_response");
  }

  @Test
  void inferenceShouldMatchTheSchemas() {
    String request = OipClient.json(Map.of("id", "42", "inputs", List.of(Map.of("name", "features",
        "datatype", "FP32", "shape", List.of(2, 4), "data", List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8))))));
    assertThat(violations(OipClientJson.parse(request), ref("inference_request"), "request")).isEmpty();
    assertConforms(client.post("/v2/models/rul/infer", request), 200, "inference_response");
    assertConforms(client.post("/v2/models/rul/infer", "{\"inputs\": 3}"), 400, "inference_error_response");
    assertConforms(client.post("/v2/models/rul/versions/3/infer", "nonsense"), 400, "inference_error_response");
  }

  @Test
  void healthShouldAnswer200WithAnEmptyBody() {
    for (String path : List.of("/v2/health/live", "/v2/health/ready", "/v2/models/rul/versions/3/ready")) {
      OipClient.Response r = client.get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).isEmpty();
    }
  }

  @Test
  void theValidatorShouldCatchAViolation() {
    JsonNode bad = OipClientJson.parse("{\"name\": \"m\", \"platform\": 7, \"inputs\": [{\"name\": \"x\", \"shape\": [1.5]}]}");
    assertThat(violations(bad, ref("metadata_model_response"), "$"))
        .contains("$.platform: expected string", "$.inputs[0]: missing required 'datatype'",
            "$.inputs[0].shape[0]: expected integer");
  }

  private static void assertConforms(OipClient.Response r, int status, String schema) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(violations(r.json(), ref(schema), "$")).as(schema + ": " + r.body()).isEmpty();
  }

  private static Map<String, Object> ref(String name) {
    return Map.of("$ref", "#/components/schemas/" + name);
  }

  @SuppressWarnings("unchecked")
  private static List<String> violations(JsonNode node, Map<String, Object> schema, String at) {
    List<String> found = new ArrayList<>();
    if (schema.containsKey("$ref")) {
      String name = ((String) schema.get("$ref")).substring("#/components/schemas/".length());
      return violations(node, (Map<String, Object>) schemas.get(name), at);
    }
    if (schema.containsKey("anyOf")) {
      for (Map<String, Object> option : (List<Map<String, Object>>) schema.get("anyOf")) {
        if (violations(node, option, at).isEmpty()) {
          return found;
        }
      }
      found.add(at + ": matches none of anyOf");
      return found;
    }
    String type = (String) schema.get("type");
    boolean ok = type == null || switch (type) {
      case "object" -> node.isObject();
      case "array" -> node.isArray();
      case "string" -> node.isTextual();
      case "integer" -> node.isIntegralNumber();
      case "number" -> node.isNumber();
      case "boolean" -> node.isBoolean();
      default -> throw new IllegalStateException("unhandled schema type " + type);
    };
    if (!ok) {
      found.add(at + ": expected " + type);
      return found;
    }
    for (String required : (List<String>) schema.getOrDefault("required", List.of())) {
      if (!node.has(required)) {
        found.add(at + ": missing required '" + required + "'");
      }
    }
    Map<String, Map<String, Object>> properties =
        (Map<String, Map<String, Object>>) schema.getOrDefault("properties", Map.of());
    properties.forEach((name, sub) -> {
      if (node.has(name)) {
        found.addAll(violations(node.get(name), sub, at + "." + name));
      }
    });
    if (node.isArray() && schema.containsKey("items")) {
      for (int i = 0; i < node.size(); i++) {
        found.addAll(violations(node.get(i), (Map<String, Object>) schema.get("items"), at + "[" + i + "]"));
      }
    }
    return found;
  }

  /** JSON parsing for literal test documents. */
  static final class OipClientJson {
    static JsonNode parse(String json) {
      return new OipClient.Response(200, json, "application/json").json();
    }
  }
}
