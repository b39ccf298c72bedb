package io.edgeloop.automl.search;

import io.edgeloop.automl.onnx.TreeEnsembleExporter;
import io.edgeloop.modelpackage.Task;
import java.util.List;

/**
 * The weighted average of several fitted regression tree models, exported as one
 * TreeEnsembleRegressor (see {@link TreeEnsembleExporter#export(List, double[], int, Task, int, String)}).
 */
public final class Ensemble implements FittedModel {

  private final List<XgboostFamily.XgboostModel> members;
  private final double[] weights;

  Ensemble(List<XgboostFamily.XgboostModel> members, double[] weights) {
    this.members = List.copyOf(members);
    this.weights = weights.clone();
  }

  /**
   * A model averaging {@code models} with {@code weights}; a single model is returned as it is.
   *
   * @throws IllegalArgumentException when several models are not all regression tree models
   */
  public static FittedModel of(List<FittedModel> models, double[] weights) {
    if (models.size() == 1) {
      return models.get(0);
    }
    List<XgboostFamily.XgboostModel> trees = models.stream().map(m -> {
      if (!(m instanceof XgboostFamily.XgboostModel x) || x.task() != Task.REGRESSION) {
        throw new IllegalArgumentException("only regression tree models (xgboost, random_forest) are averaged, got " + m);
      }
      return x;
    }).toList();
    return new Ensemble(trees, weights);
  }

  @Override
  public double[][] predict(float[][] x) {
    double[][] out = new double[x.length][1];
    for (int m = 0; m < members.size(); m++) {
      double[][] p = members.get(m).predict(x);
      for (int i = 0; i < x.length; i++) {
        out[i][0] += weights[m] * p[i][0];
      }
    }
    return out;
  }

  @Override
  public byte[] toOnnx(String graphName) {
    return TreeEnsembleExporter.export(members.stream().map(XgboostFamily.XgboostModel::trees).toList(), weights,
        members.get(0).features(), Task.REGRESSION, 1, graphName);
  }
}
