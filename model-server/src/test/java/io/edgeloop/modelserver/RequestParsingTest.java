package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.modelserver.inference.InferenceRequest;
import io.edgeloop.modelserver.inference.RequestException;
import io.edgeloop.modelserver.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming request parser: data read straight into arrays when its tensor's header came
 * first, through a tree otherwise; both give the same tensors and the same errors.
 */
class RequestParsingTest {

  static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  static InferenceRequest parse(String json) throws Exception {
    try (JsonParser p = JSON.createParser(json)) {
      return InferenceRequest.parse(p);
    }
  }

  /** One input tensor object, its fields in the header-first or the data-first order. */
  static String tensor(boolean dataFirst, String name, String datatype, String shape, String data) {
    String header = "\"name\": " + name + ", \"datatype\": " + datatype + ", \"shape\": " + shape;
    return dataFirst ? "{\"data\": " + data + ", " + header + "}" : "{" + header + ", \"data\": " + data + "}";
  }

  static String request(String... tensors) {
    return "{\"id\": \"r1\", \"parameters\": {\"x\": 1}, \"inputs\": [" + String.join(", ", tensors)
        + "], \"outputs\": [{\"name\": \"y\", \"parameters\": {}}]}";
  }

  @ParameterizedTest(name = "data first: {0}")
  @ValueSource(booleans = {false, true})
  void shouldReadEveryDatatypeInEitherOrder(boolean dataFirst) throws Exception {
    InferenceRequest r = parse(request(
        tensor(dataFirst, "\"f\"", "\"FP32\"", "[2, 2]", "[[1.5, null], [NaN, -2]]"),
        tensor(dataFirst, "\"d\"", "\"FP64\"", "[1]", "[1e300]"),
        tensor(dataFirst, "\"i\"", "\"INT32\"", "[2]", "[2147483647, -1]"),
        tensor(dataFirst, "\"l\"", "\"INT64\"", "[2]", "[9007199254740993, -7]"),
        tensor(dataFirst, "\"b\"", "\"BOOL\"", "[2]", "[true, false]"),
        tensor(dataFirst, "\"s\"", "\"BYTES\"", "[1]", "[\"héllo\"]")));
    assertThat(r.id()).isEqualTo("r1");
    assertThat(r.outputs()).containsExactly("y");
    assertThat(r.inputs().keySet()).containsExactly("f", "d", "i", "l", "b", "s");
    Tensor f = r.inputs().get("f");
    assertThat(f.shape()).containsExactly(2, 2);
    float[] floats = (float[]) f.data();
    assertThat(floats[0]).isEqualTo(1.5f);
    assertThat(floats[1]).isNaN();
    assertThat(floats[2]).isNaN();
    assertThat(floats[3]).isEqualTo(-2f);
    assertThat((double[]) r.inputs().get("d").data()).containsExactly(1e300);
    assertThat((int[]) r.inputs().get("i").data()).containsExactly(2147483647, -1);
    assertThat((long[]) r.inputs().get("l").data()).containsExactly(9007199254740993L, -7L);
    assertThat((boolean[]) r.inputs().get("b").data()).containsExactly(true, false);
    assertThat((String[]) r.inputs().get("s").data()).containsExactly("héllo");
  }

  @Test
  void shouldReadALargeTensorPastTheFirstAllocation() throws Exception {
    int n = 200_000;
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      data.append(i == 0 ? "" : ",").append(i);
    }
    Tensor t = parse(request(tensor(false, "\"l\"", "\"INT64\"", "[" + n + "]", data + "]"))).inputs().get("l");
    long[] values = (long[]) t.data();
    assertThat(values).hasSize(n);
    assertThat(values[n - 1]).isEqualTo(n - 1);
  }

  @ParameterizedTest(name = "data first: {0}")
  @ValueSource(booleans = {false, true})
  void shouldGiveTheSameErrorsInEitherOrder(boolean dataFirst) {
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[2]", "[1, \"a\"]")),
        "input 'f': element \"a\" is not a number");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[2]", "[1, {\"k\": 1}]")),
        "input 'f': element {\"k\":1} is not a number");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[3]", "[1, 2]")),
        "input 'f': shape [3] needs 3 elements, data has 2");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[1]", "[1, 2]")),
        "input 'f': data has more elements than its shape");
    assertError(request(tensor(dataFirst, "\"i\"", "\"INT32\"", "[1]", "[2147483648]")),
        "input 'i': element 2147483648 is not a valid INT32");
    assertError(request(tensor(dataFirst, "\"l\"", "\"INT64\"", "[1]", "[1.5]")),
        "input 'l': element 1.5 is not a valid INT64");
    assertError(request(tensor(dataFirst, "\"l\"", "\"INT64\"", "[1]", "[92233720368547758070]")),
        "is not a valid INT64");
    assertError(request(tensor(dataFirst, "\"b\"", "\"BOOL\"", "[1]", "[1]")),
        "input 'b': element 1 is not a valid BOOL");
    assertError(request(tensor(dataFirst, "\"s\"", "\"BYTES\"", "[1]", "[1]")),
        "input 's': element 1 is not a valid BYTES");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP16\"", "[1]", "[1]")),
        "input 'f': datatype 'FP16' is not supported");
    assertError(request(tensor(dataFirst, "1", "\"FP32\"", "[1]", "[1]")), "input: 'name' must be a string");
    assertError(request(tensor(dataFirst, "\"f\"", "3", "[1]", "[1]")), "input 'f': 'datatype' must be a string");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[1.5]", "[1]")),
        "input 'f': 'shape' must be an array of integers");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[[1]]", "[1]")),
        "input 'f': 'shape' must be an array of integers");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[-1]", "[1]")),
        "input 'f': shape dimensions must be >= 0");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[1]", "1")), "input 'f': data must be a JSON array");
    assertError(request(tensor(dataFirst, "\"f\"", "\"FP32\"", "[1]", "[1]"), tensor(dataFirst, "\"f\"", "\"FP32\"",
        "[1]", "[2]")), "input 'f' is given twice");
  }

  @Test
  void shouldCheckTheRequestObject() {
    assertError("[1, 2]", "the request body must be a JSON object");
    assertError("", "the request body must be a JSON object");
    assertError("{\"inputs\": []}", "'inputs' must be a non-empty array of tensors");
    assertError("{\"id\": \"x\"}", "'inputs' must be a non-empty array of tensors");
    assertError("{\"inputs\": [1]}", "each input must be a JSON object");
    assertError("{\"id\": [1], \"inputs\": []}", "'id' must be a string");
    assertError("{\"parameters\": 1}", "'parameters' must be a JSON object");
    assertError("{\"inputs\": [{\"name\": \"f\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1], "
        + "\"parameters\": 3}]}", "input 'f' 'parameters' must be a JSON object");
    assertError("{\"outputs\": 1}", "'outputs' must be an array");
    assertError("{\"outputs\": [{\"name\": 1}]}", "requested output: 'name' must be a string");
    assertError("{\"outputs\": [{\"name\": \"y\", \"parameters\": []}]}", "output 'parameters' must be a JSON object");
  }

  @Test
  void shouldIgnoreUnknownFields() throws Exception {
    InferenceRequest r = parse("{\"extra\": {\"a\": [1, {\"b\": 2}]}, \"inputs\": [{\"name\": \"f\", \"more\": [[1]], "
        + "\"datatype\": \"FP32\", \"shape\": [1], \"data\": [4]}], \"id\": 7}");
    assertThat(r.id()).isEqualTo("7");
    assertThat((float[]) r.inputs().get("f").data()).containsExactly(4f);
    assertThat(r.outputs()).isEmpty();
  }

  static void assertError(String json, String fragment) {
    assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(RequestException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> assertThat(((RequestException) e).status()).isEqualTo(400));
  }
}
