package io.edgeloop.modelserver.inference;

import ai.onnxruntime.OrtException;
import io.edgeloop.modelserver.inference.ServedModel.Prepared;
import io.edgeloop.modelserver.model.OnnxModel;
import io.edgeloop.modelserver.tensor.Tensor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic batching: requests that arrive together are stacked along the first dimension, run in one
 * ONNX Runtime call and split again. A call has a fixed cost of ~7 µs while a row of a small model
 * costs well under 1 µs (bench/model-server), so under concurrent single-row load stacking removes
 * most of the work, with no waiting: only requests already there are combined.
 *
 * <p>Only graphs whose every input has a variable first dimension are stacked. Requests stack when
 * they feed the same inputs with the same datatypes and the same dimensions after the first, and
 * want the same outputs. When a stacked call's outputs do not have the stacked rows as their first
 * dimension (a graph that is not row-wise), the graph is never stacked again and those requests run
 * alone; a stacked call that fails is retried request by request, so that a request fails alone.
 */
public final class BatchedRuns {

  /** What one request got: its result, or the failure of its run (exactly one is non-null). */
  public record Outcome(InferenceResult result, Exception failure) {}

  private final OnnxModel onnx;
  private final boolean stackable;
  private volatile boolean rowWise = true;

  BatchedRuns(OnnxModel onnx) {
    this.onnx = onnx;
    this.stackable = onnx.inputs().stream().allMatch(i -> !i.shape().isEmpty() && i.shape().get(0) < 0);
  }

  /**
   * Runs the requests, stacking where they fit (see the class comment).
   *
   * @param maxRows at most this many rows per stacked call; 1 = every request alone
   * @return one outcome per request, in the same order
   */
  List<Outcome> run(List<Prepared> requests, int maxRows) {
    Outcome[] outcomes = new Outcome[requests.size()];
    if (!stackable || !rowWise || maxRows <= 1 || requests.size() == 1) {
      for (int i = 0; i < outcomes.length; i++) {
        outcomes[i] = alone(requests.get(i));
      }
      return List.of(outcomes);
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < outcomes.length; i++) {
      groups.computeIfAbsent(key(requests.get(i)), k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> group : groups.values()) {
      List<Integer> chunk = new ArrayList<>();
      long rows = 0;
      for (int i : group) {
        long r = requests.get(i).rows();
        if (!chunk.isEmpty() && rows + r > maxRows) {
          runChunk(requests, chunk, outcomes);
          chunk = new ArrayList<>();
          rows = 0;
        }
        chunk.add(i);
        rows += r;
      }
      runChunk(requests, chunk, outcomes);
    }
    return List.of(outcomes);
  }

  /** Requests with equal keys can be stacked: same outputs, same feeds but for the first dimension. */
  private static String key(Prepared p) {
    StringBuilder k = new StringBuilder(64).append(p.wanted()).append('|');
    for (Tensor t : p.feeds()) {
      long[] shape = t.shape();
      k.append(t.name()).append(':').append(t.datatype()).append(':').append(shape.length);
      for (int d = 1; d < shape.length; d++) {
        k.append(',').append(shape[d]);
      }
      k.append('|');
    }
    return k.toString();
  }

  private void runChunk(List<Prepared> requests, List<Integer> chunk, Outcome[] outcomes) {
    boolean empty = chunk.stream().anyMatch(i -> requests.get(i).rows() == 0);
    if (chunk.size() == 1 || empty || !rowWise) {
      chunk.forEach(i -> outcomes[i] = alone(requests.get(i)));
      return;
    }
    List<Prepared> members = chunk.stream().map(requests::get).toList();
    long total = members.stream().mapToLong(Prepared::rows).sum();
    List<Tensor> outputs;
    try {
      outputs = onnx.run(stack(members, total), members.get(0).wanted());
    } catch (OrtException | RuntimeException e) {
      chunk.forEach(i -> outcomes[i] = alone(requests.get(i)));
      return;
    }
    if (outputs.stream().anyMatch(o -> o.rank() == 0 || o.rows() != total)) {
      rowWise = false;
      chunk.forEach(i -> outcomes[i] = alone(requests.get(i)));
      return;
    }
    long offset = 0;
    for (int m = 0; m < members.size(); m++) {
      long rows = members.get(m).rows();
      List<Tensor> own = new ArrayList<>(outputs.size());
      for (Tensor o : outputs) {
        own.add(rowsOf(o, offset, rows, total));
      }
      outcomes[chunk.get(m)] = new Outcome(new InferenceResult(own, rows), null);
      offset += rows;
    }
  }

  private static List<Tensor> stack(List<Prepared> members, long total) {
    List<Tensor> first = members.get(0).feeds();
    List<Tensor> stacked = new ArrayList<>(first.size());
    for (int f = 0; f < first.size(); f++) {
      Tensor head = first.get(f);
      long[] shape = head.shape();
      shape[0] = total;
      Object data = Array.newInstance(head.data().getClass().getComponentType(),
          Math.toIntExact(Tensor.elementCount(shape)));
      int at = 0;
      for (Prepared p : members) {
        Object part = p.feeds().get(f).data();
        int n = Array.getLength(part);
        System.arraycopy(part, 0, data, at, n);
        at += n;
      }
      stacked.add(new Tensor(head.name(), head.datatype(), shape, data));
    }
    return stacked;
  }

  /** Rows {@code [offset, offset + rows)} of a tensor whose first dimension is {@code total}. */
  private static Tensor rowsOf(Tensor t, long offset, long rows, long total) {
    long[] shape = t.shape();
    int perRow = Math.toIntExact(Tensor.elementCount(shape) / total);
    shape[0] = rows;
    Object data = Array.newInstance(t.data().getClass().getComponentType(), Math.toIntExact(rows * perRow));
    System.arraycopy(t.data(), Math.toIntExact(offset * perRow), data, 0, Math.toIntExact(rows * perRow));
    return new Tensor(t.name(), t.datatype(), shape, data);
  }

  private Outcome alone(Prepared p) {
    try {
      return new Outcome(new InferenceResult(onnx.run(p.feeds(), p.wanted()), p.rows()), null);
    } catch (OrtException | RuntimeException e) {
      return new Outcome(null, e);
    }
  }
}
