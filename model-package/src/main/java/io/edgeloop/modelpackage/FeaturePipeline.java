package io.edgeloop.modelpackage;

import io.edgeloop.contracts.ColumnSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw rows into feature vectors in {@link FeatureSpec#featureOrder()}. The one
 * implementation used by training and by the model server, so both see identical features.
 *
 * <p>Semantics:
 * <ul>
 *   <li>A missing or null raw value is {@code NaN}; XGBoost graphs route it by the learned default
 *       direction, linear graphs impute it inside the ONNX graph.
 *   <li>Window statistics cover the last {@code min(w, rows seen in the group)} rows including the
 *       current one, ignoring NaN values (all NaN gives NaN). {@code std} is the population
 *       standard deviation, {@code slope} the least-squares slope against the row index; both are 0
 *       for a single value.
 *   <li>When the order column goes backwards within a group (a unit restarted, e.g. a new engine
 *       life with the same unit number) the group's history starts afresh.
 *   <li>With {@link FeatureSpec#regimes()}, each row is first assigned to its operating regime
 *       and the regime's normalisation is applied to the listed columns; raw outputs and window
 *       statistics of those columns see the normalised values.
 *   <li>{@code drift} is a window's mean minus the mean of the group's first
 *       {@link FeatureSpec#baselineRows()} rows (its baseline; NaN values skipped). The baseline
 *       is what this pipeline saw first of the group, so a server should see a unit from the start
 *       of its life (or its history restarted) for drifts to mean what they meant in training.
 *   <li>Statistics are computed in double precision and rounded to float once, at the end.
 * </ul>
 * Instances are immutable and thread-safe.
 */
public final class FeaturePipeline {

  private final FeatureSpec spec;
  private final String[] historyColumns;
  private final int historyLength;
  /** Per output feature: the raw column it copies, or null for a window statistic. */
  private final String[] rawNames;
  private final int[] statColumn;
  private final WindowStat[] stat;
  private final int[] window;
  private final OperatingRegimes regimes;
  /** Per history column / per output feature: index into {@code regimes.columns()}, or -1. */
  private final int[] historyRegimeColumn;
  private final int[] rawRegimeColumn;

  public FeaturePipeline(FeatureSpec spec) {
    this.spec = spec;
    Set<String> raw = new LinkedHashSet<>();
    for (ColumnSpec c : spec.rawColumns()) {
      raw.add(c.name());
    }
    requireRaw(raw, spec.groupKey(), "groupKey");
    requireRaw(raw, spec.orderColumn(), "orderColumn");
    this.regimes = spec.regimes();
    if (regimes != null) {
      regimes.settingColumns().forEach(c -> requireRaw(raw, c, "regimes.settingColumns"));
      regimes.columns().forEach(c -> requireRaw(raw, c, "regimes.columns"));
    }
    Map<String, int[]> generated = new HashMap<>();
    Map<String, WindowStat> generatedStat = new HashMap<>();
    List<String> history = new ArrayList<>();
    int longest = 1;
    for (RollingFeature r : spec.rolling()) {
      requireRaw(raw, r.column(), "rolling.column");
      int col = history.indexOf(r.column());
      if (col < 0) {
        history.add(r.column());
        col = history.size() - 1;
      }
      for (int w : r.windows()) {
        longest = Math.max(longest, w);
        for (WindowStat s : r.stats()) {
          generated.put(r.featureName(s, w), new int[] {col, w});
          generatedStat.put(r.featureName(s, w), s);
        }
      }
    }
    this.historyColumns = history.toArray(String[]::new);
    this.historyLength = longest;
    int n = spec.featureOrder().size();
    this.rawNames = new String[n];
    this.statColumn = new int[n];
    this.stat = new WindowStat[n];
    this.window = new int[n];
    for (int i = 0; i < n; i++) {
      String name = spec.featureOrder().get(i);
      if (raw.contains(name)) {
        rawNames[i] = name;
      } else if (generated.containsKey(name)) {
        statColumn[i] = generated.get(name)[0];
        window[i] = generated.get(name)[1];
        stat[i] = generatedStat.get(name);
      } else {
        throw new IllegalArgumentException("featureOrder names '" + name
            + "', which is neither a raw column nor a declared rolling feature");
      }
    }
    this.historyRegimeColumn = regimeIndexes(historyColumns);
    this.rawRegimeColumn = regimeIndexes(rawNames);
  }

  private int[] regimeIndexes(String[] columns) {
    int[] out = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = regimes == null || columns[i] == null ? -1 : regimes.columns().indexOf(columns[i]);
    }
    return out;
  }

  private static void requireRaw(Set<String> raw, String column, String field) {
    if (column != null && !raw.contains(column)) {
      throw new IllegalArgumentException(field + " '" + column + "' is not among rawColumns " + raw);
    }
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** Number of features each vector has. */
  public int width() {
    return rawNames.length;
  }

  /** A fresh, empty per-group history bounded by {@link FeatureSpec#maxGroups()}. */
  public GroupState newState() {
    return new GroupState(spec.maxGroups(), historyColumns.length, historyLength, spec.baselineRows());
  }

  /**
   * Appends {@code rawRow} to its group's history in {@code state} and returns its feature vector.
   *
   * @param rawRow column name to value; absent or null values are missing (NaN)
   */
  public float[] next(GroupState state, Map<String, Double> rawRow) {
    double key = spec.groupKey() == null ? 0.0 : value(rawRow, spec.groupKey());
    double order = spec.orderColumn() == null ? Double.NaN : value(rawRow, spec.orderColumn());
    double[] normalised = normalise(rawRow);
    double[] current = new double[historyColumns.length];
    for (int c = 0; c < current.length; c++) {
      current[c] = historyRegimeColumn[c] >= 0 ? normalised[historyRegimeColumn[c]] : value(rawRow, historyColumns[c]);
    }
    float[] out = new float[rawNames.length];
    double[] buffer = new double[historyLength];
    synchronized (state) {
      GroupState.History h = state.history(key);
      if (order < h.lastOrder) {
        h.clear();
      }
      h.lastOrder = order;
      h.append(current);
      for (int i = 0; i < out.length; i++) {
        if (rawNames[i] != null) {
          out[i] = (float) (rawRegimeColumn[i] >= 0 ? normalised[rawRegimeColumn[i]] : value(rawRow, rawNames[i]));
        } else {
          int n = Math.min(window[i], h.count);
          h.last(statColumn[i], n, buffer);
          double v = WindowStats.compute(stat[i], buffer, n);
          out[i] = (float) (stat[i] == WindowStat.DRIFT ? v - h.baseline(statColumn[i]) : v);
        }
      }
    }
    return out;
  }

  /**
   * Features of a batch of rows already sorted by (groupKey, orderColumn), computed row by row with
   * {@link #next} on a fresh state: the training path.
   */
  public float[][] transform(List<Map<String, Double>> sortedRows) {
    GroupState state = newState();
    float[][] out = new float[sortedRows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = next(state, sortedRows.get(i));
    }
    return out;
  }

  /** The regime-normalised values of {@code regimes.columns()} for this row (null without regimes). */
  private double[] normalise(Map<String, Double> row) {
    if (regimes == null) {
      return null;
    }
    double[] settings = new double[regimes.settingColumns().size()];
    for (int d = 0; d < settings.length; d++) {
      settings[d] = value(row, regimes.settingColumns().get(d));
    }
    int regime = regimes.regimeOf(settings);
    double[] out = new double[regimes.columns().size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = regime < 0 ? Double.NaN
          : (value(row, regimes.columns().get(c)) - regimes.mean().get(regime).get(c)) / regimes.scale().get(regime).get(c);
    }
    return out;
  }

  private static double value(Map<String, Double> row, String column) {
    Double v = row.get(column);
    return v == null ? Double.NaN : v;
  }
}
