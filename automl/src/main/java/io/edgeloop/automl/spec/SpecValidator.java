package io.edgeloop.automl.spec;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.search.Metric;
import io.edgeloop.automl.search.ModelFamilies;
import io.edgeloop.modelpackage.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks a spec against the data before any training, failing fast with the field at fault. */
public final class SpecValidator {

  private SpecValidator() {}

  /** @throws InvalidSpecException naming the first field that does not fit the data */
  public static void validate(ExperimentSpec spec, Table table) {
    if (spec.task() == null) {
      throw new InvalidSpecException("task", "required: regression, binary or multiclass");
    }
    if (spec.target() == null || spec.target().isBlank()) {
      throw new InvalidSpecException("target", "required: the target column or derived target name");
    }
    if (table.rowCount() == 0) {
      throw new InvalidSpecException("data", "the dataset is empty (0 rows)");
    }
    ExperimentSpec.TimeSeries ts = spec.timeSeries();
    if (ts != null) {
      numericColumn(table, ts.groupKey(), "timeSeries.groupKey", true);
      numericColumn(table, ts.orderColumn(), "timeSeries.orderColumn", true);
    }
    if (spec.derivedTarget() != null) {
      validateDerived(spec);
    } else {
      if (!table.has(spec.target())) {
        throw new InvalidSpecException("target", "unknown column '" + spec.target() + "', columns are " + table.columnNames());
      }
      if (spec.task() == Task.REGRESSION && !table.isNumeric(spec.target())) {
        throw new InvalidSpecException("target", "column '" + spec.target()
            + "' is not numeric, a regression target must be");
      }
    }
    for (int i = 0; i < spec.features().size(); i++) {
      String f = spec.features().get(i);
      if (f.equals(spec.target())) {
        throw new InvalidSpecException("features[" + i + "]", "'" + f + "' is the target");
      }
      numericColumn(table, f, "features[" + i + "]", false);
    }
    if (ts != null) {
      validateRolling(ts, table);
    }
    try {
      Metric metric = Metric.parse(spec.primaryMetric());
      if (!metric.appliesTo(spec.task())) {
        throw new InvalidSpecException("primaryMetric", "'" + spec.primaryMetric() + "' does not apply to task "
            + spec.task().id() + "; use one of " + Metric.namesFor(spec.task()));
      }
    } catch (IllegalArgumentException e) {
      if (e instanceof InvalidSpecException) {
        throw e;
      }
      throw new InvalidSpecException("primaryMetric", e.getMessage());
    }
    for (int i = 0; i < spec.families().size(); i++) {
      if (!ModelFamilies.NAMES.contains(spec.families().get(i))) {
        throw new InvalidSpecException("families[" + i + "]", "unknown family '" + spec.families().get(i)
            + "', expected one of " + ModelFamilies.NAMES);
      }
    }
    if (spec.maxTrials() < 1) {
      throw new InvalidSpecException("maxTrials", "must be >= 1, got " + spec.maxTrials());
    }
    if (spec.timeCapped() && !(spec.timeBudgetSeconds() > 0)) {
      throw new InvalidSpecException("timeBudgetSeconds", "must be > 0, got " + spec.timeBudgetSeconds());
    }
    if (spec.earlyTermination() != null && spec.earlyTermination().noImprovementTrials() != null
        && spec.earlyTermination().noImprovementTrials() < 1) {
      throw new InvalidSpecException("earlyTermination.noImprovementTrials", "must be >= 1");
    }
    if (spec.ensemble() < 1) {
      throw new InvalidSpecException("ensemble", "must be >= 1, got " + spec.ensemble());
    }
    if (spec.ensemble() > 1 && spec.task() != Task.REGRESSION) {
      throw new InvalidSpecException("ensemble", "averaging several trials is for regression; task is " + spec.task().id());
    }
    if (spec.regimes() != null) {
      validateRegimes(spec.regimes(), table);
    }
    ExperimentSpec.Validation v = spec.validation();
    if (!v.type().equals("holdout") && !v.type().equals("kfold")) {
      throw new InvalidSpecException("validation.type", "'" + v.type() + "' is not holdout or kfold");
    }
    if (!(v.fraction() > 0 && v.fraction() < 1)) {
      throw new InvalidSpecException("validation.fraction", "must be in (0, 1), got " + v.fraction());
    }
    if (v.folds() < 2) {
      throw new InvalidSpecException("validation.folds", "must be >= 2, got " + v.folds());
    }
  }

  private static void validateRegimes(ExperimentSpec.Regimes regimes, Table table) {
    if (regimes.settings().isEmpty()) {
      throw new InvalidSpecException("regimes.settings", "name the operational setting columns the regimes are read from");
    }
    for (int i = 0; i < regimes.settings().size(); i++) {
      numericColumn(table, regimes.settings().get(i), "regimes.settings[" + i + "]", true);
    }
    if (regimes.max() < 2) {
      throw new InvalidSpecException("regimes.max", "must be >= 2, got " + regimes.max());
    }
    if (!(regimes.maxWithinShare() > 0 && regimes.maxWithinShare() < 1)) {
      throw new InvalidSpecException("regimes.maxWithinShare", "must be in (0, 1), got " + regimes.maxWithinShare());
    }
  }

  private static void validateDerived(ExperimentSpec spec) {
    ExperimentSpec.DerivedTarget d = spec.derivedTarget();
    if (!"rul".equals(d.type())) {
      throw new InvalidSpecException("derivedTarget.type", "unknown derived target '" + d.type() + "', expected rul");
    }
    if (spec.task() != Task.REGRESSION) {
      throw new InvalidSpecException("derivedTarget", "rul is a regression target, task is " + spec.task().id());
    }
    if (spec.timeSeries() == null || spec.timeSeries().groupKey() == null || spec.timeSeries().orderColumn() == null) {
      throw new InvalidSpecException("derivedTarget", "rul needs timeSeries.groupKey and timeSeries.orderColumn");
    }
    if (d.cap() != null && !(d.cap() > 0)) {
      throw new InvalidSpecException("derivedTarget.cap", "must be > 0, got " + d.cap());
    }
  }

  private static void validateRolling(ExperimentSpec.TimeSeries ts, Table table) {
    if (ts.baselineRows() < 1) {
      throw new InvalidSpecException("timeSeries.baselineRows", "must be >= 1, got " + ts.baselineRows());
    }
    int longest = longestGroup(table, ts.groupKey());
    List<ExperimentSpec.Rolling> rolling = ts.rolling();
    for (int r = 0; r < rolling.size(); r++) {
      ExperimentSpec.Rolling roll = rolling.get(r);
      for (int c = 0; c < roll.columns().size(); c++) {
        numericColumn(table, roll.columns().get(c), "timeSeries.rolling[" + r + "].columns[" + c + "]", false);
      }
      if (roll.windows().isEmpty()) {
        throw new InvalidSpecException("timeSeries.rolling[" + r + "].windows", "at least one window is required");
      }
      for (int w : roll.windows()) {
        if (w < 1) {
          throw new InvalidSpecException("timeSeries.rolling[" + r + "].windows", "window " + w + " must be >= 1");
        }
        if (w > longest) {
          throw new InvalidSpecException("timeSeries.rolling[" + r + "].windows", "window " + w
              + " is longer than any group (the longest has " + longest + " rows)");
        }
      }
    }
  }

  private static int longestGroup(Table table, String groupKey) {
    if (groupKey == null) {
      return table.rowCount();
    }
    Map<Double, Integer> counts = new HashMap<>();
    for (double g : table.numeric(groupKey)) {
      counts.merge(g, 1, Integer::sum);
    }
    return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private static void numericColumn(Table table, String column, String field, boolean required) {
    if (column == null) {
      if (required) {
        throw new InvalidSpecException(field, "required");
      }
      return;
    }
    if (!table.has(column)) {
      throw new InvalidSpecException(field, "unknown column '" + column + "', columns are " + table.columnNames());
    }
    if (!table.isNumeric(column)) {
      throw new InvalidSpecException(field, "column '" + column + "' is not numeric");
    }
  }
}
