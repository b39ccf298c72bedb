package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.modelpackage.FeaturePipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a preprocessing spec the server takes raw columns and computes features with the package's
 * FeaturePipeline, keeping per-group history across requests.
 */
class PreprocessingTest {

  @TempDir
  Path dir;

  /** Two engines, rows interleaved as they would arrive live; s1 and s2 are arbitrary sensor traces. */
  static List<Map<String, Double>> arrivals() {
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int cycle = 1; cycle <= 6; cycle++) {
      for (int unit = 1; unit <= 2; unit++) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("unit", (double) unit);
        row.put("cycle", (double) cycle);
        row.put("s1", 10.0 * unit + Math.sin(cycle * 1.3 + unit) * 2.5);
        row.put("s2", cycle % 3 == 0 && unit == 2 ? Double.NaN : 100.0 - cycle * 0.7 * unit);
        rows.add(row);
      }
    }
    return rows;
  }

  static String rawRequest(List<Map<String, Double>> rows) {
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (String column : List.of("unit", "cycle", "s1", "s2")) {
      boolean integral = column.equals("unit") || column.equals("cycle");
      List<Object> data = new ArrayList<>();
      for (Map<String, Double> row : rows) {
        double v = row.get(column);
        data.add(integral ? (Object) (long) v : Double.isNaN(v) ? null : (Object) v);
      }
      inputs.add(Map.of("name", column, "datatype", integral ? "INT64" : "FP64",
          "shape", List.of(rows.size()), "data", data));
    }
    return OipClient.json(Map.of("inputs", inputs));
  }

  @Test
  void shouldAdvertiseTheRawColumns() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.preprocessed(dir)).withPort(0))) {
      JsonNode meta = new OipClient(server).get("/v2/models/engine-rul").json();
      assertThat(meta.get("inputs").toString()).isEqualTo("[{\"name\":\"unit\",\"datatype\":\"INT64\",\"shape\":[-1]},"
          + "{\"name\":\"cycle\",\"datatype\":\"INT64\",\"shape\":[-1]},{\"name\":\"s1\",\"datatype\":\"FP64\",\"shape\":[-1]},"
          + "{\"name\":\"s2\",\"datatype\":\"FP64\",\"shape\":[-1]}]");
    }
  }

  @Test
  void shouldComputeTheSameFeaturesRowByRowAsTheBatchPath() throws Exception {
    List<Map<String, Double>> arrivals = arrivals();
    List<Map<String, Double>> sorted = new ArrayList<>(arrivals);
    sorted.sort(Comparator.<Map<String, Double>>comparingDouble(r -> r.get("unit")).thenComparingDouble(r -> r.get("cycle")));
    float[][] batch = new FeaturePipeline(ModelPackageMother.featureSpec()).transform(sorted);
    Map<Map<String, Double>, float[]> expected = new HashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      expected.put(sorted.get(i), batch[i]);
    }

    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.preprocessed(dir)).withPort(0))) {
      OipClient client = new OipClient(server);
      for (Map<String, Double> row : arrivals) {
        OipClient.Response r = client.post("/v2/models/engine-rul/infer", rawRequest(List.of(row)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> outputs = new HashMap<>();
        r.json().get("outputs").forEach(o -> outputs.put(o.get("name").asText(), o));
        float[] want = expected.get(row);
        JsonNode echo = outputs.get("echo").get("data");
        assertThat(echo).hasSize(want.length);
        double prediction = ModelPackageMother.PRE_BIAS;
        for (int i = 0; i < want.length; i++) {
          if (Float.isNaN(want[i])) {
            assertThat(echo.get(i).asText()).as("feature %d of %s", i, row).isEqualTo("NaN");
          } else {
            assertThat(echo.get(i).floatValue()).as("feature %d of %s", i, row).isEqualTo(want[i]);
          }
          prediction += (double) want[i] * ModelPackageMother.PRE_WEIGHTS[i];
        }
        JsonNode variable = outputs.get("variable");
        assertThat(variable.get("shape").toString()).isEqualTo("[1,1]");
        if (!Double.isNaN(prediction)) {
          assertThat(variable.get("data").get(0).asDouble()).isCloseTo(prediction, within(1e-3));
        }
      }
      assertThat(client.get("/metrics").body()).contains("edgeloop_inference_tracked_groups 2.0");
    }
  }

  @Test
  void shouldApplyTheRowsOfABatchInOrder() throws Exception {
    List<Map<String, Double>> unitOne = arrivals().stream().filter(r -> r.get("unit") == 1.0).toList();
    float[][] batch = new FeaturePipeline(ModelPackageMother.featureSpec()).transform(unitOne);
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.preprocessed(dir)).withPort(0))) {
      OipClient client = new OipClient(server);
      JsonNode r = client.post("/v2/models/engine-rul/infer", rawRequest(unitOne)).json();
      JsonNode echo = null;
      for (JsonNode o : r.get("outputs")) {
        if (o.get("name").asText().equals("echo")) {
          echo = o;
        }
      }
      assertThat(echo.get("shape").toString()).isEqualTo("[" + unitOne.size() + ",6]");
      int width = batch[0].length;
      for (int i = 0; i < unitOne.size(); i++) {
        for (int f = 0; f < width; f++) {
          assertThat(echo.get("data").get(i * width + f).floatValue()).isEqualTo(batch[i][f]);
        }
      }
    }
  }

  @Test
  void shouldAcceptTheFeaturesTensorDirectly() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.preprocessed(dir)).withPort(0))) {
      String body = OipClient.json(Map.of("inputs", List.of(Map.of("name", "features", "datatype", "FP32",
          "shape", List.of(1, 6), "data", List.of(1, 2, 3, 4, 5, 6)))));
      JsonNode r = new OipClient(server).post("/v2/models/engine-rul/infer", body).json();
      double want = ModelPackageMother.PRE_BIAS;
      for (int i = 0; i < 6; i++) {
        want += (i + 1) * ModelPackageMother.PRE_WEIGHTS[i];
      }
      assertThat(r.get("outputs").get(0).get("data").get(0).asDouble()).isCloseTo(want, within(1e-4));
    }
  }

  @Test
  void shouldRejectIncompleteOrRaggedRawColumns() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.preprocessed(dir)).withPort(0))) {
      OipClient client = new OipClient(server);
      String missing = OipClient.json(Map.of("inputs", List.of(
          Map.of("name", "unit", "datatype", "INT64", "shape", List.of(1), "data", List.of(1)))));
      assertThat(client.post("/v2/models/engine-rul/infer", missing).json().get("error").asText())
          .contains("missing input 'cycle'");
      String ragged = OipClient.json(Map.of("inputs", List.of(
          Map.of("name", "unit", "datatype", "INT64", "shape", List.of(2), "data", List.of(1, 2)),
          Map.of("name", "cycle", "datatype", "INT64", "shape", List.of(2, 1), "data", List.of(List.of(1), List.of(1))),
          Map.of("name", "s1", "datatype", "FP32", "shape", List.of(1), "data", List.of(0.5)),
          Map.of("name", "s2", "datatype", "FP64", "shape", List.of(2), "data", List.of(1, 2)))));
      OipClient.Response r = client.post("/v2/models/engine-rul/infer", ragged);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).contains("disagree on the number of rows");
    }
  }
}
