package io.edgeloop.deploy.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.deploy.target.RolloutFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OipSmokeTestTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void shouldSendOneTensorPerRawColumnWithTheColumnsType() throws Exception {
    JsonNode manifest = json.readTree("""
        {"preprocessing": {"rawColumns": [{"name": "unit", "type": "int64"}, {"name": "s1", "type": "float64"}]},
         "samples": {"rows": [{"unit": 1, "s1": 0.5}, {"unit": 2, "s1": 1.5}], "expected": [[1.0], [2.0]]}}""");

    JsonNode request = new OipSmokeTest().inferRequest(manifest, manifest.path("samples").path("rows"));

    assertThat(request.path("inputs").toString()).isEqualTo(
        "[{\"name\":\"unit\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[1,2]},"
            + "{\"name\":\"s1\",\"datatype\":\"FP64\",\"shape\":[2],\"data\":[0.5,1.5]}]");
  }

  @Test
  void shouldSplitOutputsIntoRowsAndAcceptFloat32RoundingOnly() throws Exception {
    JsonNode outputs = json.readTree("""
        [{"name": "label", "shape": [2], "data": [1, 0]},
         {"name": "probabilities", "shape": [2, 2], "data": [0.2, 0.8, 0.9, 0.1]}]""");
    List<List<Double>> rows = OipSmokeTest.rowsOf(outputs, 2);

    assertThat(rows).containsExactly(List.of(1.0, 0.2, 0.8), List.of(0.0, 0.9, 0.1));
    OipSmokeTest.compare(json.readTree("[[1, 0.2000001, 0.8], [0, 0.9, 0.1]]"), rows);
    assertThatThrownBy(() -> OipSmokeTest.compare(json.readTree("[[1, 0.25, 0.75], [0, 0.9, 0.1]]"), rows))
        .isInstanceOf(RolloutFailedException.class)
        .hasMessageContaining("sample row 0 output 1 expected 0.25");
  }
}
