package io.edgeloop.automl.holdout;

import ai.onnxruntime.OrtException;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.features.TrainingFrame;
import io.edgeloop.automl.onnx.OnnxScorer;
import io.edgeloop.automl.search.Metric;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.GroupState;
import io.edgeloop.modelpackage.ModelManifest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Scores a model package on holdout rows exactly as the model server would: raw rows in (group,
 * order) order through the package's own {@link FeaturePipeline}, then its ONNX graph in ONNX
 * Runtime; the target comes from the experiment spec (e.g. the derived RUL). Regression only.
 */
public final class HoldoutScorer {
  private final double[] y;
  private final int[] tableRows;
  private final Table holdout;
  private final int groups;

  public HoldoutScorer(ExperimentSpec spec, Table holdout) {
    TrainingFrame.Targets targets = TrainingFrame.Targets.of(spec, holdout);
    this.y = targets.y();
    this.tableRows = targets.tableRows();
    this.holdout = holdout;
    this.groups = new HashSet<>(java.util.Arrays.stream(targets.groups()).boxed().toList()).size();
  }

  /** Rows scored. */
  public int rows() {
    return y.length;
  }

  /** Groups (units) scored. */
  public int groups() {
    return groups;
  }

  /** The {@code metric} of the package on the holdout rows. */
  public double score(ModelManifest manifest, byte[] onnx, String metric) throws OrtException {
    if (manifest.preprocessing() == null) {
      throw new IllegalArgumentException("model package has no feature spec");
    }
    FeaturePipeline pipeline = new FeaturePipeline(manifest.preprocessing());
    GroupState state = pipeline.newState();
    List<String> raw = manifest.preprocessing().rawColumns().stream().map(ColumnSpec::name).toList();
    float[][] x = new float[y.length][];
    for (int i = 0; i < y.length; i++) {
      Map<String, Double> row = holdout.row(tableRows[i], raw);
      x[i] = pipeline.next(state, row);
    }
    try (OnnxScorer scorer = new OnnxScorer(onnx)) {
      return Metric.parse(metric).compute(y, scorer.score(x));
    }
  }
}
