package io.edgeloop.training.registry;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Decides whether a challenger replaces the champion: it must be better on the primary metric by a
 * relative {@code margin} ({@code 0.02} = 2% better; 0 = strictly better). Error metrics (rmse, mae,
 * mse, logloss...) are better lower, scores (r2, accuracy, f1, auc...) higher.
 *
 * <p>Same holdout: when the challenger's run scored the current champion on its own holdout, it
 * reports that as metric {@code champion.<primary>} and the comparison uses it; otherwise the
 * champion's recorded value is used (it was measured on its own run's holdout).
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

  /** The champion's value to compare against: re-scored on the challenger's holdout when available. */
  public static OptionalDouble championValue(String primary, Map<String, Double> challenger, Map<String, Double> champion) {
    Double sameHoldout = challenger.get("champion." + primary);
    if (sameHoldout != null) {
      return OptionalDouble.of(sameHoldout);
    }
    Double recorded = champion.get(primary);
    return recorded == null ? OptionalDouble.empty() : OptionalDouble.of(recorded);
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
