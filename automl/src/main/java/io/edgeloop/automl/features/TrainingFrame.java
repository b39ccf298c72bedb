package io.edgeloop.automl.features;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelpackage.OperatingRegimes;
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

  /**
   * Builds the frame of a search: derives the feature spec from the data (operating regimes,
   * constant columns dropped), then computes the features. The spec must have passed
   * {@code SpecValidator}.
   */
  public static TrainingFrame build(ExperimentSpec spec, Table table) {
    return build(spec, table, featureSpec(spec, table));
  }

  /** Builds the frame with given features (a refit keeps its champion's). */
  public static TrainingFrame build(ExperimentSpec spec, Table table, FeatureSpec featureSpec) {
    Targets targets = Targets.of(spec, table);
    List<String> rawNames = featureSpec.rawColumns().stream().map(ColumnSpec::name).toList();
    FeaturePipeline pipeline = new FeaturePipeline(featureSpec);
    var state = pipeline.newState();
    int[] sorted = targets.tableRows();
    float[][] x = new float[sorted.length][];
    for (int i = 0; i < sorted.length; i++) {
      x[i] = pipeline.next(state, table.row(sorted[i], rawNames));
    }
    return new TrainingFrame(featureSpec, x, targets.y(), targets.groups(), sorted, targets.classLabels());
  }

  /** The feature spec a search derives from the data. */
  static FeatureSpec featureSpec(ExperimentSpec spec, Table table) {
    ExperimentSpec.TimeSeries ts = spec.timeSeries();
    String groupKey = ts == null ? null : ts.groupKey();
    String order = ts == null ? null : ts.orderColumn();
    List<String> features = featureColumns(spec, table, groupKey);
    Set<String> rollingColumns = new LinkedHashSet<>();
    if (ts != null) {
      for (ExperimentSpec.Rolling r : ts.rolling()) {
        rollingColumns.addAll(r.columns().isEmpty() ? features.stream().filter(c -> !c.equals(order)).toList() : r.columns());
      }
    }
    OperatingRegimes regimes = null;
    Map<String, double[]> normalised = Map.of();
    if (spec.regimes() != null) {
      Set<String> candidates = new LinkedHashSet<>(features);
      candidates.addAll(rollingColumns);
      candidates.removeAll(spec.regimes().settings());
      candidates.remove(order);
      candidates.remove(groupKey);
      candidates.removeIf(c -> constant(table.numeric(c)));
      regimes = RegimeDetector.detect(spec.regimes(), table, List.copyOf(candidates), spec.seed()).orElse(null);
      normalised = regimes == null ? Map.of() : normalisedColumns(regimes, table);
    }
    Map<String, double[]> values = normalised;
    java.util.function.Predicate<String> useless = c -> spec.dropConstantFeatures()
        && (values.containsKey(c) ? nearlyConstant(values.get(c)) : constant(table.numeric(c)));
    Set<String> kept = new LinkedHashSet<>();
    for (String f : features) {
      if (!useless.test(f)) {
        kept.add(f);
      }
    }
    List<RollingFeature> rolling = new ArrayList<>();
    List<String> rollingNames = new ArrayList<>();
    if (ts != null) {
      for (ExperimentSpec.Rolling r : ts.rolling()) {
        List<String> cols = r.columns().isEmpty() ? kept.stream().filter(c -> !c.equals(order)).toList() : r.columns();
        for (String c : cols) {
          if (useless.test(c)) {
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
    if (regimes != null) {
      raw.addAll(regimes.settingColumns());
      regimes = restrict(regimes, raw);
    }
    List<String> featureOrder = new ArrayList<>(kept);
    rollingNames.stream().filter(n -> !featureOrder.contains(n)).forEach(featureOrder::add);
    return new FeatureSpec(raw.stream().map(c -> new ColumnSpec(c, "float64")).toList(), groupKey, order, rolling,
        featureOrder, 0, regimes, ts == null ? 0 : ts.baselineRows());
  }

  /** The regimes with only the normalised columns that are still raw inputs. */
  private static OperatingRegimes restrict(OperatingRegimes r, Set<String> raw) {
    List<Integer> keep = IntStream.range(0, r.columns().size()).filter(i -> raw.contains(r.columns().get(i))).boxed().toList();
    return new OperatingRegimes(r.settingColumns(), r.settingMean(), r.settingScale(), r.centers(),
        keep.stream().map(r.columns()::get).toList(),
        r.mean().stream().map(m -> keep.stream().map(m::get).toList()).toList(),
        r.scale().stream().map(s -> keep.stream().map(s::get).toList()).toList());
  }

  /** Each normalised column of the table as the pipeline will see it. */
  private static Map<String, double[]> normalisedColumns(OperatingRegimes regimes, Table table) {
    Map<String, double[]> out = new HashMap<>();
    int rows = table.rowCount();
    int[] regime = new int[rows];
    double[] settings = new double[regimes.settingColumns().size()];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < settings.length; j++) {
        settings[j] = table.numeric(regimes.settingColumns().get(j))[i];
      }
      regime[i] = regimes.regimeOf(settings);
    }
    for (int c = 0; c < regimes.columns().size(); c++) {
      double[] v = table.numeric(regimes.columns().get(c));
      double[] n = new double[rows];
      for (int i = 0; i < rows; i++) {
        n[i] = regime[i] < 0 ? Double.NaN
            : (v[i] - regimes.mean().get(regime[i]).get(c)) / regimes.scale().get(regime[i]).get(c);
      }
      out.put(regimes.columns().get(c), n);
    }
    return out;
  }

  private static List<String> featureColumns(ExperimentSpec spec, Table table, String groupKey) {
    if (!spec.features().isEmpty()) {
      return spec.features();
    }
    return table.columnNames().stream()
        .filter(c -> !c.equals(spec.target()) && !c.equals(groupKey) && table.isNumeric(c))
        .toList();
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

  /** Constant up to rounding: a column constant within each regime normalises to (about) zero. */
  private static boolean nearlyConstant(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return !(max - min > 1e-6);
  }

  /**
   * The rows in (group, order) order and what is learnt from them: the target (derived or read),
   * the group of each row and the class labels. Needs no features, so a holdout is scored without
   * building any.
   */
  public record Targets(int[] tableRows, double[] y, double[] groups, List<String> classLabels) {

    public static Targets of(ExperimentSpec spec, Table table) {
      ExperimentSpec.TimeSeries ts = spec.timeSeries();
      String groupKey = ts == null ? null : ts.groupKey();
      String order = ts == null ? null : ts.orderColumn();
      int[] sorted = sortedRows(table, groupKey, order);
      double[] groups = new double[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
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
      return new Targets(sorted, y, groups, labels);
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
}
