package io.edgeloop.training.registry;

import java.util.Map;
import java.util.Set;

/**
 * Decides whether a challenger replaces the champion: it must be better on the primary metric by a
 * relative {@code margin} ({@code 0.02} = 2% better; 0 = strictly better). Error metrics (rmse, mae,
 * mse, logloss...) are better lower, scores (r2, accuracy, f1, auc...) higher.
 *
 * <p>Same holdout: see {@link #compare}.
 */
public final class ChampionPolicy {
  private static final Set<String> LOWER_IS_BETTER = Set.of("rmse", "mae", "mse", "mape", "logloss", "log_loss", "loss", "error");
  private final double margin;

  public ChampionPolicy(double margin) {
    this.margin = margin;
  }

  public static boolean lowerIsBetter(String metric) {
    return LOWER_IS_BETTER.contains(metric.toLowerCase(java.util.Locale.ROOT));
  }

  /** The two values to compare: challenger's and champion's, on the same holdout when the run measured both. */
  public record Comparison(double challenger, double champion, boolean sameHoldout) {}

  /**
   * Picks the values to compare. When the challenger's run scored the champion version it saw
   * ({@code champion.version}, still the champion now) on its holdout ({@code champion.<primary>}),
   * the challenger's own value on that holdout ({@code holdout.<primary>}, else its primary metric)
   * is compared with it; otherwise the two recorded primary metrics are.
   */
  public static Comparison compare(String primary, Map<String, Double> challenger, int championVersion, Map<String, Double> champion) {
    Double sameHoldout = challenger.get("champion." + primary);
    Double seenVersion = challenger.get("champion.version");
    if (sameHoldout != null && (seenVersion == null || seenVersion.intValue() == championVersion)) {
      double own = challenger.getOrDefault("holdout." + primary, challenger.getOrDefault(primary, Double.NaN));
      return new Comparison(own, sameHoldout, true);
    }
    return new Comparison(challenger.getOrDefault(primary, Double.NaN), champion.getOrDefault(primary, Double.NaN), false);
  }

  /**
   * The gate's decision and why, in one line.
   *
   * @param promoted whether the challenger becomes the champion
   * @param reason e.g. {@code not promoted: rmse 15.20 vs champion v1 14.90 on the same 12 held-out
   *     units, needs < 14.90 (margin 0%)}
   */
  public record Decision(boolean promoted, String reason) {}

  /** The first version of a model: nothing to beat. */
  public static Decision first() {
    return new Decision(true, "promoted: first version");
  }

  /**
   * Decides on a challenger's metrics against the champion version's (see {@link #compare}); the
   * challenger's {@code holdout.units} (recorded by AutoML runs) names how many units both were
   * scored on.
   */
  public Decision decide(String primary, Map<String, Double> challenger, int championVersion, Map<String, Double> champion) {
    Comparison c = compare(primary, challenger, championVersion, champion);
    boolean promoted = beats(primary, c.challenger(), c.champion());
    boolean lower = lowerIsBetter(primary);
    double needed = lower ? c.champion() - margin * Math.abs(c.champion()) : c.champion() + margin * Math.abs(c.champion());
    Double units = challenger.get("holdout.units");
    String where = !c.sameHoldout() ? " (each on its own validation data: no shared holdout)"
        : units != null ? " on the same " + units.intValue() + " held-out units" : " on the same holdout";
    return new Decision(promoted, String.format(java.util.Locale.ROOT, "%s: %s %s vs champion v%d %s%s, needs %s %s (margin %s%%)",
        promoted ? "promoted" : "not promoted", primary, fmt(c.challenger()), championVersion, fmt(c.champion()), where,
        lower ? "<" : ">", fmt(needed), fmt(margin * 100)));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
  }

  /** Whether {@code challenger} beats {@code champion} by the margin. NaN never wins. */
  public boolean beats(String primary, double challenger, double champion) {
    if (Double.isNaN(challenger)) {
      return false;
    }
    if (Double.isNaN(champion)) {
      return true;
    }
    double improvement = lowerIsBetter(primary) ? champion - challenger : challenger - champion;
    return improvement > margin * Math.abs(champion) && improvement > 0;
  }
}
