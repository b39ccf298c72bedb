package io.edgeloop.modelserver.inference;

import ai.onnxruntime.OrtException;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelserver.model.ModelLoadException;
import io.edgeloop.modelserver.model.OnnxModel;
import io.edgeloop.modelserver.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model this server serves: an ONNX graph, its name and version, and optionally the feature
 * preprocessing in front of it. Checks every request against the signature it advertises before
 * ONNX Runtime sees it, so that clients get a 400 that names the offending tensor.
 *
 * <p>Without preprocessing the advertised inputs are the graph's. With preprocessing they are the
 * raw columns; a client may still send the graph's feature input directly (then alone), which
 * bypasses the per-group history.
 */
public final class ServedModel implements AutoCloseable {

  private final String name;
  private final String version;
  private final OnnxModel onnx;
  private final FeatureAssembler assembler;
  private final BatchedRuns batched;

  /**
   * @param declared the signature the package declares for the graph; null to skip the check
   * @param preprocessing null when clients send the graph's inputs themselves
   * @throws ModelLoadException when the declared signature or the preprocessing does not fit the
   *     graph
   */
  public ServedModel(String name, String version, OnnxModel onnx, ModelSignature declared,
      FeatureSpec preprocessing) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = Objects.requireNonNull(version, "version");
    this.onnx = onnx;
    if (declared != null) {
      requireSame("inputs", declared.inputs(), onnx.inputs());
      requireSame("outputs", declared.outputs(), onnx.outputs());
    }
    if (preprocessing == null) {
      this.assembler = null;
    } else {
      if (onnx.inputs().size() != 1) {
        throw new ModelLoadException("a model with preprocessing must have one graph input (the features), "
            + "this one has " + names(onnx.inputs()));
      }
      this.assembler = new FeatureAssembler(preprocessing, onnx.inputs().get(0));
    }
    this.batched = new BatchedRuns(onnx);
  }

  private static void requireSame(String what, List<TensorSpec> declared, List<TensorSpec> graph) {
    List<String> a = declared.stream().map(t -> t.name() + ":" + t.datatype()).sorted().toList();
    List<String> b = graph.stream().map(t -> t.name() + ":" + t.datatype()).sorted().toList();
    if (!a.equals(b)) {
      throw new ModelLoadException("the manifest declares " + what + " " + a + " but the graph has " + b);
    }
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  /** The inputs clients send (raw columns when the model has preprocessing). */
  public List<TensorSpec> inputs() {
    return assembler == null ? onnx.inputs() : assembler.rawInputs();
  }

  public List<TensorSpec> outputs() {
    return onnx.outputs();
  }

  /** Groups whose feature history is kept now; 0 without preprocessing. */
  public int trackedGroups() {
    return assembler == null ? 0 : assembler.groups();
  }

  /**
   * A request checked against the signature and, with preprocessing, turned into features: what
   * ONNX Runtime runs.
   *
   * @param feeds one tensor per graph input, in the graph's order
   * @param wanted the outputs to return, in order
   * @param rows the batch size (first dimension of the first feed)
   */
  public record Prepared(List<Tensor> feeds, List<String> wanted, long rows) {}

  /**
   * Checks one request and applies the preprocessing (which advances the per-group history, so
   * prepare requests in the order they should be applied).
   *
   * @throws RequestException (400) when the inputs or requested outputs do not match the signature
   */
  public Prepared prepare(InferenceRequest request) {
    List<String> wanted = request.outputs().isEmpty() ? names(onnx.outputs()) : request.outputs();
    for (String output : wanted) {
      if (onnx.outputs().stream().noneMatch(t -> t.name().equals(output))) {
        throw RequestException.badRequest("unknown output '" + output + "'; the model gives " + names(onnx.outputs()));
      }
    }
    List<Tensor> feeds;
    if (assembler != null && !request.inputs().containsKey(assembler.featureInputName())) {
      feeds = List.of(assembler.features(request.inputs()));
    } else {
      feeds = checked(request.inputs(), onnx.inputs());
    }
    return new Prepared(feeds, wanted, feeds.get(0).rows());
  }

  /**
   * Runs prepared requests, several per ONNX Runtime call where they fit together (see
   * {@link BatchedRuns}).
   *
   * @param maxRows at most this many rows per combined call; 1 = every request alone
   * @return one outcome per request, in order
   */
  public List<BatchedRuns.Outcome> run(List<Prepared> requests, int maxRows) {
    return batched.run(requests, maxRows);
  }

  private static List<Tensor> checked(Map<String, Tensor> inputs, List<TensorSpec> specs) {
    for (String given : inputs.keySet()) {
      if (specs.stream().noneMatch(s -> s.name().equals(given))) {
        throw RequestException.badRequest("unknown input '" + given + "'; the model takes " + names(specs));
      }
    }
    List<Tensor> feeds = new ArrayList<>(specs.size());
    for (TensorSpec spec : specs) {
      Tensor t = inputs.get(spec.name());
      if (t == null) {
        throw RequestException.badRequest("missing input '" + spec.name() + "'; the model takes " + names(specs));
      }
      if (!t.datatype().name().equals(spec.datatype())) {
        throw RequestException.badRequest("input '" + spec.name() + "' must be " + spec.datatype()
            + ", got " + t.datatype());
      }
      long[] shape = t.shape();
      boolean fits = shape.length == spec.shape().size();
      for (int i = 0; fits && i < shape.length; i++) {
        long want = spec.shape().get(i);
        fits = want < 0 || want == shape[i];
      }
      if (!fits) {
        throw RequestException.badRequest("input '" + spec.name() + "' must have shape " + spec.shape()
            + " (-1 = any), got " + java.util.Arrays.toString(shape));
      }
      feeds.add(t);
    }
    return feeds;
  }

  private static List<String> names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList();
  }

  @Override
  public void close() throws OrtException {
    onnx.close();
  }
}
