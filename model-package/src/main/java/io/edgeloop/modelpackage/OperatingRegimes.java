package io.edgeloop.modelpackage;

import java.util.List;
import java.util.Objects;

/**
 * Operating regimes (flight conditions, load levels...) found by clustering the operational setting
 * columns, and per-regime normalisation of other columns. A row belongs to the regime whose centre
 * is nearest to its standardised settings; each normalised column then becomes
 * {@code (value - mean[regime][c]) / scale[regime][c]}, so a sensor reads the same in every regime
 * while healthy and only degradation moves it. Applied by {@link FeaturePipeline} before anything
 * else, so window statistics see normalised values.
 *
 * <p>Missing settings are left out of the distance; a row with no setting at all has no regime and
 * its normalised columns become missing (NaN), never silently assigned to some regime.
 *
 * @param settingColumns the operational setting columns the regime is read from
 * @param settingMean per setting column, the mean subtracted before the distance
 * @param settingScale per setting column, the standard deviation divided by (never 0)
 * @param centers per regime, its centre in standardised setting units
 * @param columns the columns normalised per regime
 * @param mean per regime, per normalised column: the value subtracted
 * @param scale per regime, per normalised column: the value divided by (never 0)
 */
public record OperatingRegimes(
    List<String> settingColumns,
    List<Double> settingMean,
    List<Double> settingScale,
    List<List<Double>> centers,
    List<String> columns,
    List<List<Double>> mean,
    List<List<Double>> scale) {

  public OperatingRegimes {
    settingColumns = List.copyOf(Objects.requireNonNull(settingColumns, "settingColumns"));
    settingMean = List.copyOf(settingMean);
    settingScale = List.copyOf(settingScale);
    centers = centers.stream().map(List::copyOf).toList();
    columns = List.copyOf(columns);
    mean = mean.stream().map(List::copyOf).toList();
    scale = scale.stream().map(List::copyOf).toList();
    int d = settingColumns.size();
    if (settingMean.size() != d || settingScale.size() != d || centers.isEmpty()
        || centers.stream().anyMatch(c -> c.size() != d)) {
      throw new IllegalArgumentException("regimes: settingMean, settingScale and every centre need "
          + d + " values (one per setting column), and there must be at least one centre");
    }
    int width = columns.size();
    if (mean.size() != centers.size() || scale.size() != centers.size()
        || mean.stream().anyMatch(m -> m.size() != width) || scale.stream().anyMatch(s -> s.size() != width)) {
      throw new IllegalArgumentException("regimes: mean and scale need one row per centre ("
          + centers.size() + ") of one value per normalised column (" + columns.size() + ")");
    }
    if (settingScale.stream().anyMatch(s -> !(s > 0)) || scale.stream().flatMap(List::stream).anyMatch(s -> !(s > 0))) {
      throw new IllegalArgumentException("regimes: every scale must be > 0");
    }
  }

  /** Number of regimes. */
  public int count() {
    return centers.size();
  }

  /**
   * The regime of a row's settings (values in {@link #settingColumns} order, NaN = missing), or -1
   * when every setting is missing.
   */
  public int regimeOf(double[] settings) {
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int r = 0; r < centers.size(); r++) {
      List<Double> center = centers.get(r);
      double distance = 0;
      int used = 0;
      for (int d = 0; d < settings.length; d++) {
        if (!Double.isNaN(settings[d])) {
          double z = (settings[d] - settingMean.get(d)) / settingScale.get(d) - center.get(d);
          distance += z * z;
          used++;
        }
      }
      if (used > 0 && distance < bestDistance) {
        bestDistance = distance;
        best = r;
      }
    }
    return best;
  }
}
