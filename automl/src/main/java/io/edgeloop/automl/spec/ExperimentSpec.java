package io.edgeloop.automl.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.edgeloop.modelpackage.Task;
import io.edgeloop.modelpackage.WindowStat;
import java.util.List;

/**
 * An AutoML experiment, usually written in YAML (see {@code automl/README.md} and
 * {@link ExperimentSpecs#parseYaml}). Absent optional fields take the defaults below.
 *
 * @param name model name (default {@code model})
 * @param task regression, binary or multiclass (required)
 * @param target name of the target column, or of the derived target when {@code derivedTarget}
 *     is set (required)
 * @param derivedTarget a target computed from the time-series columns instead of read; null = read
 *     {@code target}
 * @param features raw feature columns; empty = every numeric column except target and group key
 * @param timeSeries group key, order column and rolling windows; null for plain tabular data
 * @param dropConstantFeatures drop feature columns with a single value in the training data
 *     (default true)
 * @param primaryMetric rmse, mae, r2, spearman (regression); accuracy, f1, auc (classification).
 *     Default rmse / accuracy
 * @param timeBudgetSeconds wall-clock bound of the search (default 300): no trial starts that
 *     would, at the mean trial time so far, end after it. The final retrain and export come on top
 * @param maxTrials most trials to run (default 50)
 * @param earlyTermination stop after this many trials in a row without improvement; null = never
 * @param validation how trials are scored (default group-aware holdout of 20%)
 * @param families model families to search: xgboost, random_forest, linear (default all)
 * @param parallelism trials run at once; 0 = available cores (default)
 * @param seed seed of the search and of every model (default 42)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ExperimentSpec(
    String name,
    Task task,
    String target,
    DerivedTarget derivedTarget,
    List<String> features,
    TimeSeries timeSeries,
    Boolean dropConstantFeatures,
    String primaryMetric,
    Double timeBudgetSeconds,
    Integer maxTrials,
    EarlyTermination earlyTermination,
    Validation validation,
    List<String> families,
    Integer parallelism,
    Long seed) {

  public ExperimentSpec {
    name = name == null ? "model" : name;
    features = features == null ? List.of() : List.copyOf(features);
    dropConstantFeatures = dropConstantFeatures == null || dropConstantFeatures;
    primaryMetric = primaryMetric == null && task != null
        ? (task == Task.REGRESSION ? "rmse" : "accuracy") : primaryMetric;
    timeBudgetSeconds = timeBudgetSeconds == null ? 300.0 : timeBudgetSeconds;
    maxTrials = maxTrials == null ? 50 : maxTrials;
    validation = validation == null ? new Validation(null, null, null) : validation;
    families = families == null || families.isEmpty()
        ? List.of("xgboost", "random_forest", "linear") : List.copyOf(families);
    parallelism = parallelism == null ? 0 : parallelism;
    seed = seed == null ? 42L : seed;
  }

  /**
   * A target derived from the time series. {@code type: rul}: remaining useful life = last order
   * value of the row's group minus the row's order value, capped at {@code cap} when set.
   */
  public record DerivedTarget(String type, Double cap) {}

  /**
   * Time-series structure.
   *
   * @param groupKey column identifying a sequence (an engine unit)
   * @param orderColumn column ordering rows within a group (a cycle)
   * @param rolling rolling-window statistics to add as features
   */
  public record TimeSeries(String groupKey, String orderColumn, List<Rolling> rolling) {
    public TimeSeries {
      rolling = rolling == null ? List.of() : List.copyOf(rolling);
    }
  }

  /**
   * Statistics over rolling windows of some columns; each (column, window, stat) gives the
   * feature {@code <column>_<stat>_<window>}.
   *
   * @param columns raw columns; empty = every feature column except the order column
   */
  public record Rolling(List<String> columns, List<Integer> windows, List<WindowStat> stats) {
    public Rolling {
      columns = columns == null ? List.of() : List.copyOf(columns);
      windows = windows == null ? List.of() : List.copyOf(windows);
      stats = stats == null || stats.isEmpty() ? List.of(WindowStat.MEAN, WindowStat.STD) : List.copyOf(stats);
    }
  }

  /** Stop the search after {@code noImprovementTrials} finished trials in a row did not improve. */
  public record EarlyTermination(Integer noImprovementTrials) {}

  /**
   * How trials are scored.
   *
   * @param type {@code holdout} (default) or {@code kfold}; both keep the rows of one group on one
   *     side when a group key is set
   * @param fraction share of groups (or rows) held out (default 0.2)
   * @param folds number of folds for kfold (default 5)
   */
  public record Validation(String type, Double fraction, Integer folds) {
    public Validation {
      type = type == null ? "holdout" : type;
      fraction = fraction == null ? 0.2 : fraction;
      folds = folds == null ? 5 : folds;
    }
  }
}
