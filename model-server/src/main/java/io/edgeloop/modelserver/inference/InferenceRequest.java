package io.edgeloop.modelserver.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.modelserver.tensor.DataType;
import io.edgeloop.modelserver.tensor.Tensor;
import io.edgeloop.modelserver.tensor.TensorJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed OIP inference request. {@code parameters} (request and per input/output) are accepted
 * and ignored: no standard parameters exist, and the server defines none.
 *
 * @param id the client's request id, echoed in the response; null when absent
 * @param inputs the input tensors by name, in request order
 * @param outputs names of the requested outputs; empty = all outputs of the model
 */
public record InferenceRequest(String id, Map<String, Tensor> inputs, List<String> outputs) {

  /**
   * Reads the OIP JSON object.
   *
   * @throws RequestException (400) when the object does not follow the OIP request schema or a
   *     tensor's data does not match its datatype and shape
   */
  public static InferenceRequest parse(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw RequestException.badRequest("the request body must be a JSON object");
    }
    JsonNode idNode = root.get("id");
    if (idNode != null && !idNode.isNull() && !idNode.isValueNode()) {
      throw RequestException.badRequest("'id' must be a string");
    }
    String id = idNode == null || idNode.isNull() ? null : idNode.asText();
    requireObjectIfPresent(root.get("parameters"), "'parameters'");
    JsonNode inputsNode = root.get("inputs");
    if (inputsNode == null || !inputsNode.isArray() || inputsNode.isEmpty()) {
      throw RequestException.badRequest("'inputs' must be a non-empty array of tensors");
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (JsonNode input : inputsNode) {
      Tensor t = tensor(input);
      if (inputs.put(t.name(), t) != null) {
        throw RequestException.badRequest("input '" + t.name() + "' is given twice");
      }
    }
    List<String> outputs = new ArrayList<>();
    JsonNode outputsNode = root.get("outputs");
    if (outputsNode != null && !outputsNode.isNull()) {
      if (!outputsNode.isArray()) {
        throw RequestException.badRequest("'outputs' must be an array of {\"name\": ...}");
      }
      for (JsonNode output : outputsNode) {
        outputs.add(text(output, "name", "requested output"));
        requireObjectIfPresent(output.get("parameters"), "output 'parameters'");
      }
    }
    return new InferenceRequest(id, inputs, List.copyOf(outputs));
  }

  private static Tensor tensor(JsonNode input) {
    if (!input.isObject()) {
      throw RequestException.badRequest("each input must be a JSON object");
    }
    String name = text(input, "name", "input");
    String typeName = text(input, "datatype", "input '" + name + "'");
    DataType type = DataType.parse(typeName).orElseThrow(() -> RequestException.badRequest(
        "input '" + name + "': datatype '" + typeName + "' is not supported; use one of "
            + List.of(DataType.values())));
    JsonNode shapeNode = input.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw RequestException.badRequest("input '" + name + "': 'shape' must be an array of integers");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong()) {
        throw RequestException.badRequest("input '" + name + "': 'shape' must be an array of integers");
      }
      shape[i] = d.longValue();
    }
    requireObjectIfPresent(input.get("parameters"), "input '" + name + "' 'parameters'");
    try {
      return TensorJson.read(name, type, shape, input.get("data"));
    } catch (IllegalArgumentException e) {
      throw RequestException.badRequest(e.getMessage());
    }
  }

  private static String text(JsonNode node, String field, String what) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw RequestException.badRequest(what + ": '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static void requireObjectIfPresent(JsonNode node, String what) {
    if (node != null && !node.isNull() && !node.isObject()) {
      throw RequestException.badRequest(what + " must be a JSON object");
    }
  }
}
