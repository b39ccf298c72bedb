package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OIP v2 endpoints on a real server (JDK HTTP server + ONNX Runtime) over loopback. */
class OipEndpointsTest {

  @TempDir
  static Path dir;
  static ModelServer server;
  static OipClient client;

  @BeforeAll
  static void start() throws Exception {
    server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir.resolve("pkg"))).withPort(0));
    client = new OipClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static double linear(float... x) {
    double y = ModelPackageMother.BIAS;
    for (int i = 0; i < x.length; i++) {
      y += (double) x[i] * ModelPackageMother.WEIGHTS[i];
    }
    return y;
  }

  static String request(String id, long[] shape, Object data) {
    return OipClient.json(Map.of("id", id, "parameters", Map.of("note", "ignored"),
        "inputs", List.of(Map.of("name", "features", "datatype", "FP32", "shape", shape, "data", data))));
  }

  @Test
  void shouldAnswerHealthWithEmptyBodies() {
    assertThat(client.get("/v2/health/live").status()).isEqualTo(200);
    assertThat(client.get("/v2/health/ready")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
    });
    assertThat(client.get("/v2/models/rul/ready").status()).isEqualTo(200);
    assertThat(client.get("/v2/models/rul/versions/3/ready").status()).isEqualTo(200);
    assertThat(server.isReady()).isTrue();
  }

  @Test
  void shouldDescribeTheServer() {
    JsonNode meta = client.get("/v2").json();
    assertThat(meta.get("name").asText()).isEqualTo("edgeloop-model-server");
    assertThat(meta.get("version").isTextual()).isTrue();
    assertThat(meta.get("extensions").isArray()).isTrue();
    assertThat(client.get("/v2/").status()).isEqualTo(200);
  }

  @Test
  void shouldListTheSignatureInModelMetadata() {
    for (String path : List.of("/v2/models/rul", "/v2/models/rul/versions/3")) {
      OipClient.Response r = client.get(path);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).startsWith("application/json");
      JsonNode meta = r.json();
      assertThat(meta.get("name").asText()).isEqualTo("rul");
      assertThat(meta.get("versions").toString()).isEqualTo("[\"3\"]");
      assertThat(meta.get("platform").asText()).isEqualTo("onnxruntime_onnx");
      assertThat(meta.get("inputs").toString())
          .isEqualTo("[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
      assertThat(meta.get("outputs").toString())
          .isEqualTo("[{\"name\":\"variable\",\"datatype\":\"FP32\",\"shape\":[-1,1]}]");
    }
  }

  @Test
  void shouldPredictOneRow() {
    OipClient.Response r = client.post("/v2/models/rul/infer",
        request("req-1", new long[] {1, 4}, new float[] {1f, 2f, 3f, 4f}));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("model_name").asText()).isEqualTo("rul");
    assertThat(body.get("model_version").asText()).isEqualTo("3");
    assertThat(body.get("id").asText()).isEqualTo("req-1");
    JsonNode out = body.get("outputs").get(0);
    assertThat(out.get("name").asText()).isEqualTo("variable");
    assertThat(out.get("datatype").asText()).isEqualTo("FP32");
    assertThat(out.get("shape").toString()).isEqualTo("[1,1]");
    assertThat(out.get("data").get(0).asDouble()).isCloseTo(linear(1f, 2f, 3f, 4f), within(1e-5));
  }

  @Test
  void shouldPredictANestedBatchOnTheVersionedPath() {
    float[][] rows = {{0f, 0f, 0f, 0f}, {1.5f, -2f, 0.25f, 8f}, {-3f, 4f, 10f, -1f}};
    OipClient.Response r = client.post("/v2/models/rul/versions/3/infer",
        request("batch", new long[] {3, 4}, rows));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode out = r.json().get("outputs").get(0);
    assertThat(out.get("shape").toString()).isEqualTo("[3,1]");
    for (int i = 0; i < rows.length; i++) {
      assertThat(out.get("data").get(i).asDouble()).isCloseTo(linear(rows[i]), within(1e-4));
    }
  }

  @Test
  void shouldReturnOnlyRequestedOutputs() {
    String body = OipClient.json(Map.of(
        "inputs", List.of(Map.of("name", "features", "datatype", "FP32", "shape", List.of(1, 4),
            "data", List.of(1, 1, 1, 1))),
        "outputs", List.of(Map.of("name", "variable", "parameters", Map.of()))));
    JsonNode r = client.post("/v2/models/rul/infer", body).json();
    assertThat(r.get("outputs")).hasSize(1);
    assertThat(r.has("id")).isFalse();
  }

  @Test
  void shouldExposePrometheusMetrics() {
    client.post("/v2/models/rul/infer", request("m", new long[] {2, 4}, new float[8]));
    client.get("/v2/models/nope");
    String metrics = client.get("/metrics").body();
    assertThat(metrics)
        .contains("edgeloop_inference_requests_total{endpoint=\"infer\",status=\"200\"}")
        .contains("edgeloop_inference_errors_total{endpoint=\"model_metadata\",status=\"404\"}")
        .contains("edgeloop_inference_latency_seconds_bucket{le=\"1.0E-4\"}")
        .contains("edgeloop_inference_latency_seconds_bucket{le=\"1.0\"}")
        .contains("edgeloop_model_info{model=\"rul\",version=\"3\"} 1")
        .contains("edgeloop_inference_in_flight")
        .containsPattern("edgeloop_inference_rows_total [1-9]");
  }
}
