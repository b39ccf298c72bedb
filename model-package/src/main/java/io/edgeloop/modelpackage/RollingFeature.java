package io.edgeloop.modelpackage;

import java.util.List;
import java.util.Objects;

/**
 * Rolling-window statistics of one raw column; each (window, stat) pair yields the feature
 * {@code <column>_<stat>_<window>}.
 */
public record RollingFeature(String column, List<Integer> windows, List<WindowStat> stats) {
  public RollingFeature {
    Objects.requireNonNull(column, "column");
    windows = List.copyOf(windows);
    stats = List.copyOf(stats);
    for (int w : windows) {
      if (w < 1) {
        throw new IllegalArgumentException("rolling window of '" + column + "' must be >= 1, got " + w);
      }
    }
  }

  /** The feature name of one (stat, window) pair of this column. */
  public String featureName(WindowStat stat, int window) {
    return column + "_" + stat.id() + "_" + window;
  }

  public int maxWindow() {
    return windows.stream().mapToInt(Integer::intValue).max().orElse(1);
  }
}
