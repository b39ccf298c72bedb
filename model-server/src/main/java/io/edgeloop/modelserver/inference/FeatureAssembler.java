package io.edgeloop.modelserver.inference;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelpackage.GroupState;
import io.edgeloop.modelserver.model.ModelLoadException;
import io.edgeloop.modelserver.tensor.DataType;
import io.edgeloop.modelserver.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns raw-column tensors into the graph's {@code features} tensor with the package's
 * {@link FeaturePipeline}, keeping per-group history (bounded by {@code maxGroups}, LRU) between
 * requests.
 *
 * <p>Ordering: the rows of one request are applied in order, as one unit (no other request's rows
 * for any group interleave with them). Requests are applied in the order the server gets to them;
 * a client that needs strict per-group order sends a group's rows one request after the other, not
 * concurrently.
 */
final class FeatureAssembler {

  private final FeaturePipeline pipeline;
  private final GroupState state;
  private final TensorSpec featureInput;
  private final List<TensorSpec> rawInputs;

  FeatureAssembler(FeatureSpec spec, TensorSpec featureInput) {
    this.pipeline = new FeaturePipeline(spec);
    this.state = pipeline.newState();
    this.featureInput = featureInput;
    List<Long> shape = featureInput.shape();
    if (!featureInput.datatype().equals(DataType.FP32.name()) || shape.size() != 2
        || (shape.get(1) >= 0 && shape.get(1) != pipeline.width())) {
      throw new ModelLoadException("preprocessing yields " + pipeline.width()
          + " features but the graph input '" + featureInput.name() + "' is " + featureInput.datatype()
          + " " + shape + "; expected FP32 [-1, " + pipeline.width() + "]");
    }
    List<TensorSpec> raw = new ArrayList<>();
    for (ColumnSpec column : spec.rawColumns()) {
      raw.add(new TensorSpec(column.name(), rawType(column).name(), List.of(-1L)));
    }
    this.rawInputs = List.copyOf(raw);
  }

  private static DataType rawType(ColumnSpec column) {
    return switch (column.type()) {
      case "int64" -> DataType.INT64;
      case "float64" -> DataType.FP64;
      case "boolean" -> DataType.BOOL;
      default -> throw new ModelLoadException("raw column '" + column.name() + "' has type '"
          + column.type() + "'; the feature pipeline takes only int64, float64 and boolean columns");
    };
  }

  /** The inputs clients send: one tensor per raw column, one element per row. */
  List<TensorSpec> rawInputs() {
    return rawInputs;
  }

  /** Name of the graph input the features go to; a client may also send it directly. */
  String featureInputName() {
    return featureInput.name();
  }

  /** Number of groups whose history is remembered now. */
  int groups() {
    return state.size();
  }

  /**
   * Computes the features of the rows in {@code inputs} (one tensor per raw column, shape
   * {@code [n]} or {@code [n, 1]}, any numeric datatype) and appends them to their groups' history.
   *
   * @throws RequestException (400) when a raw column is missing or unknown, not numeric, or the
   *     columns disagree on the number of rows
   */
  Tensor features(Map<String, Tensor> inputs) {
    for (String name : inputs.keySet()) {
      if (rawInputs.stream().noneMatch(s -> s.name().equals(name))) {
        throw RequestException.badRequest("unknown input '" + name + "'; this model takes the raw columns "
            + names(rawInputs) + " (or '" + featureInput.name() + "' alone)");
      }
    }
    int rows = -1;
    Tensor[] columns = new Tensor[rawInputs.size()];
    for (int c = 0; c < columns.length; c++) {
      String name = rawInputs.get(c).name();
      Tensor t = inputs.get(name);
      if (t == null) {
        throw RequestException.badRequest("missing input '" + name + "'; send every raw column "
            + names(rawInputs) + ", with null elements for missing values");
      }
      if (!t.datatype().isNumeric()) {
        throw RequestException.badRequest("input '" + name + "' must be numeric, got " + t.datatype());
      }
      long[] shape = t.shape();
      if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
        throw RequestException.badRequest("input '" + name + "' must have shape [n] or [n, 1], got "
            + java.util.Arrays.toString(shape));
      }
      if (rows >= 0 && shape[0] != rows) {
        throw RequestException.badRequest("raw columns disagree on the number of rows: '" + name + "' has "
            + shape[0] + ", others " + rows);
      }
      rows = (int) shape[0];
      columns[c] = t;
    }
    int width = pipeline.width();
    float[] features = new float[rows * width];
    Map<String, Double> row = new HashMap<>();
    // Holding the state's monitor for the whole batch keeps its rows contiguous in every group's
    // history; FeaturePipeline.next synchronizes on the same monitor (re-entrant).
    synchronized (state) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < columns.length; c++) {
          row.put(rawInputs.get(c).name(), columns[c].doubleAt(r));
        }
        System.arraycopy(pipeline.next(state, row), 0, features, r * width, width);
      }
    }
    return new Tensor(featureInput.name(), DataType.FP32, new long[] {rows, width}, features);
  }

  private static List<String> names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList();
  }
}
