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
 * @param timeBudgetSeconds optional wall-clock cap of the search (default none): no trial starts
 *     that would, at the mean trial time so far, end after it. The search is bounded by
 *     {@code maxTrials} (work, not time), so a spec and data give the same model on a busy or an idle
 *     machine; only a search this cap cut short depends on the machine's speed (the result says so).
 *     The first trial always runs
 * @param maxTrials the search's budget: how many trials it runs (default 50)
 * @param earlyTermination stop after this many trials in a row without improvement; null = never
 * @param validation how trials are scored (default group-aware holdout of 20%)
 * @param families model families to search: xgboost, random_forest, linear (default all)
 * @param parallelism trials run at once; 0 = available cores (default)
 * @param seed seed of the search and of every model (default 42)
 * @param ensemble how many of the best trials the packaged model averages (default 1 = the best
 *     alone); regression with tree families only, see {@code automl/README.md}
 * @param regimes operating regimes to detect from operational setting columns; null = none
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
    Long seed,
    Integer ensemble,
    Regimes regimes) {

  public ExperimentSpec {
    name = name == null ? "model" : name;
    features = features == null ? List.of() : List.copyOf(features);
    dropConstantFeatures = dropConstantFeatures == null || dropConstantFeatures;
    primaryMetric = primaryMetric == null && task != null
        ? (task == Task.REGRESSION ? "rmse" : "accuracy") : primaryMetric;
    maxTrials = maxTrials == null ? 50 : maxTrials;
    validation = validation == null ? new Validation(null, null, null) : validation;
    families = families == null || families.isEmpty()
        ? List.of("xgboost", "random_forest", "linear") : List.copyOf(families);
    parallelism = parallelism == null ? 0 : parallelism;
    seed = seed == null ? 42L : seed;
    ensemble = ensemble == null ? 1 : ensemble;
  }

  /** Whether a wall-clock cap is set. */
  public boolean timeCapped() {
    return timeBudgetSeconds != null;
  }

  /**
   * Operating regimes: the rows are clustered (k-means, seeded) on the standardised {@code settings}
   * columns for every k from 2 to {@code max}; the smallest k whose clusters leave less than
   * {@code maxWithinShare} of the settings' variance within clusters is taken, then one more
   * cluster at a time while each halves the variance left within clusters (conditions that lie
   * close together, such as two altitudes at one Mach number and throttle, stay apart), or a single
   * regime (nothing normalised) when no k passes. Every other feature column except the order column is
   * then normalised per regime (its mean and standard deviation in that regime).
   *
   * @param settings the operational setting columns (e.g. altitude, Mach number, throttle)
   * @param max most regimes tried (default 10)
   * @param maxWithinShare share of the settings' variance that may stay within clusters (default 0.01)
   */
  public record Regimes(List<String> settings, Integer max, Double maxWithinShare) {
    public Regimes {
      settings = settings == null ? List.of() : List.copyOf(settings);
      max = max == null ? 10 : max;
      maxWithinShare = maxWithinShare == null ? 0.01 : maxWithinShare;
    }
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
   * @param baselineRows rows at the start of a group's life whose mean the {@code drift} statistic
   *     subtracts (default 10)
   */
  public record TimeSeries(String groupKey, String orderColumn, List<Rolling> rolling, Integer baselineRows) {
    public TimeSeries {
      rolling = rolling == null ? List.of() : List.copyOf(rolling);
      baselineRows = baselineRows == null ? 10 : baselineRows;
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
