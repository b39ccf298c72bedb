package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every carried OIP type goes through ONNX Runtime and back unchanged. */
class TypedTensorsTest {

  @TempDir
  Path dir;

  @Test
  void shouldRoundTripEveryDatatype() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.typed(dir)).withPort(0))) {
      OipClient client = new OipClient(server);
      JsonNode meta = client.get("/v2/models/typed").json();
      assertThat(meta.get("inputs").toString()).contains(
          "{\"name\":\"x_fp64\",\"datatype\":\"FP64\",\"shape\":[-1,2]}",
          "{\"name\":\"x_bytes\",\"datatype\":\"BYTES\",\"shape\":[-1]}");

      String body = OipClient.json(Map.of("inputs", List.of(
          Map.of("name", "x_fp64", "datatype", "FP64", "shape", List.of(2, 2),
              "data", List.of(List.of(1.5, -2.25), List.of(1e300, 0.1))),
          Map.of("name", "x_int64", "datatype", "INT64", "shape", List.of(2), "data", List.of(9007199254740993L, -7)),
          Map.of("name", "x_int32", "datatype", "INT32", "shape", List.of(2), "data", List.of(2147483647, -1)),
          Map.of("name", "x_bool", "datatype", "BOOL", "shape", List.of(2), "data", List.of(true, false)),
          Map.of("name", "x_bytes", "datatype", "BYTES", "shape", List.of(2), "data", List.of("a", "héllo")))));
      OipClient.Response r = client.post("/v2/models/typed/infer", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      Map<String, String> outputs = new HashMap<>();
      for (JsonNode o : r.json().get("outputs")) {
        outputs.put(o.get("name").asText(), o.get("datatype").asText() + o.get("shape") + o.get("data"));
      }
      assertThat(outputs).containsEntry("y_fp64", "FP64[2,2][1.5,-2.25,1.0E300,0.1]")
          .containsEntry("y_int64", "INT64[2][9007199254740993,-7]")
          .containsEntry("y_int32", "INT32[2][2147483647,-1]")
          .containsEntry("y_bool", "BOOL[2][true,false]")
          .containsEntry("y_bytes", "BYTES[2][\"a\",\"héllo\"]");

      String fractionalInt = OipClient.json(Map.of("inputs", List.of(
          Map.of("name", "x_int64", "datatype", "INT64", "shape", List.of(1), "data", List.of(1.5)))));
      assertThat(client.post("/v2/models/typed/infer", fractionalInt).json().get("error").asText())
          .contains("is not a valid INT64");
    }
  }
}
