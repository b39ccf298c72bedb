package io.edgeloop.automl.features;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelpackage.RollingFeature;
import io.edgeloop.modelpackage.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The training data after features: rows sorted by (group, order), each turned into a feature
 * vector by {@link FeaturePipeline#next} exactly as the model server will do.
 *
 * @param featureSpec the preprocessing that travels in the model package
 * @param x feature rows (float, NaN = missing)
 * @param y regression target, or class index for classification
 * @param groups group key per row (row index when there is no group key)
 * @param tableRows the table row behind each frame row
 * @param classLabels class labels in index order (classification only)
 */
public record TrainingFrame(
    FeatureSpec featureSpec, float[][] x, double[] y, double[] groups, int[] tableRows, List<String> classLabels) {

  public int rows() {
    return x.length;
  }

  /** Raw values of frame row {@code i}, as a client would send them. */
  public Map<String, Double> rawRow(Table table, int i) {
    List<String> names = featureSpec.rawColumns().stream().map(ColumnSpec::name).toList();
    return table.row(tableRows[i], names);
  }

  /** Builds the frame; the spec must have passed {@code SpecValidator}. */
  public static TrainingFrame build(ExperimentSpec spec, Table table) {
    ExperimentSpec.TimeSeries ts = spec.timeSeries();
    String groupKey = ts == null ? null : ts.groupKey();
    String order = ts == null ? null : ts.orderColumn();
    List<String> features = featureColumns(spec, table, groupKey);
    Set<String> kept = new LinkedHashSet<>();
    for (String f : features) {
      if (!spec.dropConstantFeatures() || !constant(table.numeric(f))) {
        kept.add(f);
      }
    }
    List<RollingFeature> rolling = new ArrayList<>();
    List<String> rollingNames = new ArrayList<>();
    if (ts != null) {
      for (ExperimentSpec.Rolling r : ts.rolling()) {
        List<String> cols = r.columns().isEmpty()
            ? kept.stream().filter(c -> !c.equals(order)).toList() : r.columns();
        for (String c : cols) {
          if (spec.dropConstantFeatures() && constant(table.numeric(c))) {
            continue;
          }
          RollingFeature rf = new RollingFeature(c, r.windows(), r.stats());
          rolling.add(rf);
          for (int w : r.windows()) {
            for (var s : r.stats()) {
              rollingNames.add(rf.featureName(s, w));
            }
          }
        }
      }
    }
    Set<String> raw = new LinkedHashSet<>();
    if (groupKey != null) {
      raw.add(groupKey);
    }
    if (order != null) {
      raw.add(order);
    }
    raw.addAll(kept);
    rolling.forEach(r -> raw.add(r.column()));
    List<String> featureOrder = new ArrayList<>(kept);
    rollingNames.stream().filter(n -> !featureOrder.contains(n)).forEach(featureOrder::add);
    FeatureSpec featureSpec = new FeatureSpec(
        raw.stream().map(c -> new ColumnSpec(c, "float64")).toList(), groupKey, order, rolling, featureOrder, 0);

    int[] sorted = sortedRows(table, groupKey, order);
    List<String> rawNames = List.copyOf(raw);
    FeaturePipeline pipeline = new FeaturePipeline(featureSpec);
    var state = pipeline.newState();
    float[][] x = new float[sorted.length][];
    double[] groups = new double[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      x[i] = pipeline.next(state, table.row(sorted[i], rawNames));
      groups[i] = groupKey == null ? i : table.numeric(groupKey)[sorted[i]];
    }
    List<String> labels = List.of();
    double[] y;
    if (spec.derivedTarget() != null) {
      y = rul(table, sorted, groupKey, order, spec.derivedTarget().cap());
    } else if (spec.task() == Task.REGRESSION) {
      double[] t = table.numeric(spec.target());
      y = IntStream.of(sorted).mapToDouble(i -> t[i]).toArray();
    } else {
      String[] t = table.text(spec.target());
      labels = classLabels(table, spec.target());
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < labels.size(); i++) {
        index.put(labels.get(i), i);
      }
      y = IntStream.of(sorted).mapToDouble(i -> index.get(t[i])).toArray();
    }
    return new TrainingFrame(featureSpec, x, y, groups, sorted, labels);
  }

  private static List<String> featureColumns(ExperimentSpec spec, Table table, String groupKey) {
    if (!spec.features().isEmpty()) {
      return spec.features();
    }
    return table.columnNames().stream()
        .filter(c -> !c.equals(spec.target()) && !c.equals(groupKey) && table.isNumeric(c))
        .toList();
  }

  /** Labels sorted numerically when all are numbers, else as text. */
  private static List<String> classLabels(Table table, String target) {
    if (table.isNumeric(target)) {
      TreeSet<Double> values = new TreeSet<>();
      for (double v : table.numeric(target)) {
        values.add(v);
      }
      String[] text = Table.builder().numeric("v", values.stream().mapToDouble(Double::doubleValue).toArray())
          .build().text("v");
      return List.of(text);
    }
    return List.copyOf(new TreeSet<>(List.of(table.text(target))));
  }

  private static boolean constant(double[] values) {
    double first = Double.NaN;
    for (double v : values) {
      if (Double.isNaN(v)) {
        continue;
      }
      if (Double.isNaN(first)) {
        first = v;
      } else if (v != first) {
        return false;
      }
    }
    return true;
  }

  private static int[] sortedRows(Table table, String groupKey, String order) {
    Comparator<Integer> cmp = (a, b) -> 0;
    if (groupKey != null) {
      double[] g = table.numeric(groupKey);
      cmp = Comparator.comparingDouble(i -> g[i]);
    }
    if (order != null) {
      double[] o = table.numeric(order);
      cmp = cmp.thenComparingDouble(i -> o[i]);
    }
    return IntStream.range(0, table.rowCount()).boxed().sorted(cmp).mapToInt(Integer::intValue).toArray();
  }

  /** RUL = last order value of the group - order value, capped when {@code cap} is set. */
  private static double[] rul(Table table, int[] sorted, String groupKey, String order, Double cap) {
    double[] g = table.numeric(groupKey);
    double[] o = table.numeric(order);
    Map<Double, Double> last = new HashMap<>();
    for (int i : sorted) {
      last.merge(g[i], o[i], Math::max);
    }
    double[] y = new double[sorted.length];
    for (int k = 0; k < sorted.length; k++) {
      int i = sorted[k];
      double rul = last.get(g[i]) - o[i];
      y[k] = cap == null ? rul : Math.min(rul, cap);
    }
    return y;
  }
}
