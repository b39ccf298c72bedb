package io.edgeloop.automl.onnx;

import static io.edgeloop.automl.onnx.OnnxGraphs.floats;
import static io.edgeloop.automl.onnx.OnnxGraphs.ints;
import static io.edgeloop.automl.onnx.OnnxGraphs.string;
import static io.edgeloop.automl.onnx.OnnxGraphs.strings;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.modelpackage.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Converts XGBoost's JSON model dump to an {@code ai.onnx.ml} TreeEnsembleRegressor or
 * TreeEnsembleClassifier.
 *
 * <p>Mapping: XGBoost goes to {@code yes} when {@code x < split_condition}, comparing in float32,
 * which is {@code BRANCH_LT} with the threshold as a float attribute; a missing value (NaN) goes to
 * {@code missing}, which becomes {@code nodes_missing_value_tracks_true = 1} when it is the
 * {@code yes} child. Tree {@code t} belongs to class {@code (t / parallelTrees) % classes}. The
 * base margin is {@code base_values}: for binary:logistic it is {@code logit(base_score)}, for
 * softprob it cancels in the softmax. Binary classifiers score class 1 only with a LOGISTIC post
 * transform (ORT fills class 0 with 1 - p); multiclass uses SOFTMAX.
 */
public final class TreeEnsembleExporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> nodesModes = new ArrayList<>();
  private final List<Long> nodesIds = new ArrayList<>();
  private final List<Long> nodesTrees = new ArrayList<>();
  private final List<Long> nodesFeatures = new ArrayList<>();
  private final List<Float> nodesValues = new ArrayList<>();
  private final List<Long> nodesTrue = new ArrayList<>();
  private final List<Long> nodesFalse = new ArrayList<>();
  private final List<Long> nodesMissingTrue = new ArrayList<>();
  private final List<Long> leafIds = new ArrayList<>();
  private final List<Long> leafTrees = new ArrayList<>();
  private final List<Long> leafTargets = new ArrayList<>();
  private final List<Float> leafWeights = new ArrayList<>();

  private TreeEnsembleExporter() {}

  /**
   * One XGBoost model's trees.
   *
   * @param dumps one JSON tree per element, as {@code Booster.getModelDump(null, false, "json")}
   * @param parallelTrees trees per boosting round (random forests)
   * @param baseMargin margin added to every score (regression: base_score)
   */
  public record Trees(String[] dumps, int parallelTrees, float baseMargin) {}

  /** The graph of one XGBoost model. */
  public static byte[] export(Trees trees, int features, Task task, int classes, String graphName) {
    return export(List.of(trees), new double[] {1.0}, features, task, classes, graphName);
  }

  /**
   * One graph averaging several regression models: every tree of model {@code m} with its leaf
   * weights scaled by {@code weights[m]}, and the weighted sum of their base margins, in a single
   * TreeEnsembleRegressor. Several models are for regression only (classifiers average
   * probabilities, not margins).
   */
  public static byte[] export(List<Trees> models, double[] weights, int features, Task task, int classes, String graphName) {
    if (models.size() > 1 && task != Task.REGRESSION) {
      throw new IllegalArgumentException("only regression models are averaged in one tree ensemble");
    }
    TreeEnsembleExporter e = new TreeEnsembleExporter();
    int outputs = task == Task.MULTICLASS ? classes : 1;
    long offset = 0;
    double base = 0;
    for (int m = 0; m < models.size(); m++) {
      Trees trees = models.get(m);
      for (int t = 0; t < trees.dumps().length; t++) {
        try {
          e.addNode(JSON.readTree(trees.dumps()[t]), offset + t, (t / trees.parallelTrees()) % outputs, weights[m]);
        } catch (IOException ex) {
          throw new UncheckedIOException("unreadable XGBoost tree dump " + t, ex);
        }
      }
      offset += trees.dumps().length;
      base += weights[m] * trees.baseMargin();
    }
    return e.graph(features, task, classes, models.size() == 1 ? models.get(0).baseMargin() : (float) base, graphName);
  }

  private void addNode(JsonNode node, long tree, long target, double weight) {
    long id = node.get("nodeid").asLong();
    nodesIds.add(id);
    nodesTrees.add(tree);
    if (node.has("leaf")) {
      nodesModes.add("LEAF");
      nodesFeatures.add(0L);
      nodesValues.add(0f);
      nodesTrue.add(0L);
      nodesFalse.add(0L);
      nodesMissingTrue.add(0L);
      leafIds.add(id);
      leafTrees.add(tree);
      leafTargets.add(target);
      // weight 1 keeps XGBoost's float leaf exactly; a scaled leaf is rounded to float once
      leafWeights.add(weight == 1.0 ? (float) node.get("leaf").asDouble() : (float) (weight * (float) node.get("leaf").asDouble()));
      return;
    }
    String split = node.get("split").asText();
    if (!split.startsWith("f")) {
      throw new IllegalStateException("unexpected split feature name '" + split + "' in tree " + tree);
    }
    long yes = node.get("yes").asLong();
    nodesModes.add("BRANCH_LT");
    nodesFeatures.add(Long.parseLong(split.substring(1)));
    nodesValues.add((float) node.get("split_condition").asDouble());
    nodesTrue.add(yes);
    nodesFalse.add(node.get("no").asLong());
    nodesMissingTrue.add(node.get("missing").asLong() == yes ? 1L : 0L);
    for (JsonNode child : node.get("children")) {
      addNode(child, tree, target, weight);
    }
  }

  private byte[] graph(int features, Task task, int classes, float baseMargin, String graphName) {
    List<AttributeProto> attrs = new ArrayList<>(List.of(
        ints("nodes_falsenodeids", nodesFalse), ints("nodes_featureids", nodesFeatures),
        ints("nodes_missing_value_tracks_true", nodesMissingTrue), strings("nodes_modes", nodesModes),
        ints("nodes_nodeids", nodesIds), ints("nodes_treeids", nodesTrees),
        ints("nodes_truenodeids", nodesTrue), floats("nodes_values", nodesValues)));
    GraphProto.Builder g = GraphProto.newBuilder().setName(graphName)
        .addInput(OnnxGraphs.value(OnnxGraphs.INPUT, TensorProto.DataType.FLOAT, -1, features));
    if (task == Task.REGRESSION) {
      attrs.addAll(List.of(ints("target_ids", leafTargets), ints("target_nodeids", leafIds),
          ints("target_treeids", leafTrees), floats("target_weights", leafWeights),
          OnnxGraphs.integer("n_targets", 1), floats("base_values", List.of(baseMargin)),
          string("aggregate_function", "SUM"), string("post_transform", "NONE")));
      g.addNode(OnnxGraphs.node("TreeEnsembleRegressor", OnnxGraphs.ML_DOMAIN, List.of(OnnxGraphs.INPUT),
          List.of("variable"), attrs.toArray(AttributeProto[]::new)));
      g.addOutput(OnnxGraphs.value("variable", TensorProto.DataType.FLOAT, -1, 1));
    } else {
      List<Float> base = new ArrayList<>();
      int scored = task == Task.BINARY ? 1 : classes;
      for (int c = 0; c < scored; c++) {
        base.add(baseMargin);
      }
      attrs.addAll(List.of(ints("class_ids", leafTargets), ints("class_nodeids", leafIds),
          ints("class_treeids", leafTrees), floats("class_weights", leafWeights),
          ints("classlabels_int64s", LongStream.range(0, classes).toArray()),
          floats("base_values", base),
          string("post_transform", task == Task.BINARY ? "LOGISTIC" : "SOFTMAX")));
      g.addNode(OnnxGraphs.node("TreeEnsembleClassifier", OnnxGraphs.ML_DOMAIN, List.of(OnnxGraphs.INPUT),
          List.of("label", "probabilities"), attrs.toArray(AttributeProto[]::new)));
      g.addOutput(OnnxGraphs.value("label", TensorProto.DataType.INT64, -1));
      g.addOutput(OnnxGraphs.value("probabilities", TensorProto.DataType.FLOAT, -1, classes));
    }
    return OnnxGraphs.model(g.build(), true);
  }
}
