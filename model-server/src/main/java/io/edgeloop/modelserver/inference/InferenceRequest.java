package io.edgeloop.modelserver.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.edgeloop.modelserver.tensor.DataType;
import io.edgeloop.modelserver.tensor.Tensor;
import io.edgeloop.modelserver.tensor.TensorJson;
import java.io.IOException;
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
   * Reads the OIP JSON object from a parser (one made by an {@code ObjectMapper}, which reads
   * {@code data} given before its tensor's {@code datatype} and {@code shape} as a tree). A tensor's
   * {@code data} goes straight into a primitive array when its datatype and shape came first, as
   * clients write them: no tree of boxed numbers for the common request.
   *
   * @throws RequestException (400) when the object does not follow the OIP request schema or a
   *     tensor's data does not match its datatype and shape
   * @throws IOException when the body is not well-formed JSON
   */
  public static InferenceRequest parse(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw RequestException.badRequest("the request body must be a JSON object");
    }
    String id = null;
    Map<String, Tensor> inputs = null;
    List<String> outputs = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "id" -> {
          if (value.isStructStart()) {
            throw RequestException.badRequest("'id' must be a string");
          }
          id = value == JsonToken.VALUE_NULL ? null : p.getText();
        }
        case "parameters" -> requireObjectIfPresent(p, "'parameters'");
        case "inputs" -> inputs = inputs(p);
        case "outputs" -> outputs = outputs(p);
        default -> p.skipChildren();
      }
    }
    if (inputs == null || inputs.isEmpty()) {
      throw RequestException.badRequest("'inputs' must be a non-empty array of tensors");
    }
    return new InferenceRequest(id, inputs, outputs);
  }

  private static Map<String, Tensor> inputs(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw RequestException.badRequest("'inputs' must be a non-empty array of tensors");
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw RequestException.badRequest("each input must be a JSON object");
      }
      Tensor t = tensor(p);
      if (inputs.put(t.name(), t) != null) {
        throw RequestException.badRequest("input '" + t.name() + "' is given twice");
      }
    }
    return inputs;
  }

  private static List<String> outputs(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw RequestException.badRequest("'outputs' must be an array of {\"name\": ...}");
    }
    List<String> outputs = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw RequestException.badRequest("requested output: 'name' must be a string");
      }
      String name = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("name")) {
          name = value == JsonToken.VALUE_STRING ? p.getText() : null;
          p.skipChildren();
        } else if (field.equals("parameters")) {
          requireObjectIfPresent(p, "output 'parameters'");
        } else {
          p.skipChildren();
        }
      }
      if (name == null) {
        throw RequestException.badRequest("requested output: 'name' must be a string");
      }
      outputs.add(name);
    }
    return List.copyOf(outputs);
  }

  /** One input tensor object; the parser is at its START_OBJECT and is left at its END_OBJECT. */
  private static Tensor tensor(JsonParser p) throws IOException {
    String name = null;
    String typeName = null;
    boolean typeGiven = false;
    long[] shape = null;
    boolean shapeGiven = false;
    boolean parametersOk = true;
    Tensor streamed = null;
    JsonNode dataTree = null;
    boolean dataGiven = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> {
          name = value == JsonToken.VALUE_STRING ? p.getText() : null;
          p.skipChildren();
        }
        case "datatype" -> {
          typeGiven = true;
          typeName = value == JsonToken.VALUE_STRING ? p.getText() : null;
          p.skipChildren();
        }
        case "shape" -> {
          shapeGiven = true;
          shape = shape(p);
        }
        case "parameters" -> {
          parametersOk = value == JsonToken.START_OBJECT || value == JsonToken.VALUE_NULL;
          p.skipChildren();
        }
        case "data" -> {
          dataGiven = true;
          if (name != null && typeName != null && shape != null && parametersOk) {
            // The usual order (name, datatype, shape, data): check the rest now, stream the data.
            DataType type = check(name, typeGiven, typeName, shapeGiven, shape, true);
            try {
              streamed = TensorJson.read(name, type, shape, p);
            } catch (IllegalArgumentException e) {
              throw RequestException.badRequest(e.getMessage());
            }
          } else {
            dataTree = p.readValueAsTree();
          }
        }
        default -> p.skipChildren();
      }
    }
    DataType type = check(name, typeGiven, typeName, shapeGiven, shape, parametersOk);
    if (streamed != null) {
      return streamed;
    }
    // Data that came before the header was kept as a tree: read it with the same code, through
    // a parser over the tree.
    JsonNode data = dataGiven ? dataTree : MissingNode.getInstance();
    try (JsonParser tree = data.traverse(p.getCodec())) {
      tree.nextToken();
      return TensorJson.read(name, type, shape, tree);
    } catch (IllegalArgumentException e) {
      throw RequestException.badRequest(e.getMessage());
    }
  }

  /** Checks a tensor's header fields in a fixed order, so that each problem has one message. */
  private static DataType check(String name, boolean typeGiven, String typeName, boolean shapeGiven, long[] shape,
      boolean parametersOk) {
    if (name == null) {
      throw RequestException.badRequest("input: 'name' must be a string");
    }
    if (!typeGiven || typeName == null) {
      throw RequestException.badRequest("input '" + name + "': 'datatype' must be a string");
    }
    DataType type = DataType.parse(typeName).orElseThrow(() -> RequestException.badRequest(
        "input '" + name + "': datatype '" + typeName + "' is not supported; use one of "
            + List.of(DataType.values())));
    if (!shapeGiven || shape == null) {
      throw RequestException.badRequest("input '" + name + "': 'shape' must be an array of integers");
    }
    if (!parametersOk) {
      throw RequestException.badRequest("input '" + name + "' 'parameters' must be a JSON object");
    }
    return type;
  }

  /** A shape array, or null when the value is not an array of integers (it is skipped whole). */
  private static long[] shape(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    long[] dims = new long[4];
    int n = 0;
    boolean ok = true;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        if (n == dims.length) {
          dims = java.util.Arrays.copyOf(dims, n * 2);
        }
        dims[n++] = p.getLongValue();
      } else {
        ok = false;
        p.skipChildren();
      }
    }
    return ok ? java.util.Arrays.copyOf(dims, n) : null;
  }

  private static void requireObjectIfPresent(JsonParser p, String what) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT && t != JsonToken.VALUE_NULL) {
      throw RequestException.badRequest(what + " must be a JSON object");
    }
    p.skipChildren();
  }
}
