package io.edgeloop.modelpackage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-group history kept between calls of {@link FeaturePipeline#next}: the last values of each
 * rolling column, bounded to the largest window, for at most {@code maxGroups} groups (the least
 * recently seen group is evicted). Not thread-safe by itself: {@link FeaturePipeline#next}
 * synchronizes on the state, so one state may be shared by concurrent callers.
 */
public final class GroupState {

  private final int historyLength;
  private final int columns;
  private final int baselineRows;
  private final Map<Double, History> groups;

  GroupState(int maxGroups, int columns, int historyLength, int baselineRows) {
    this.columns = columns;
    this.historyLength = historyLength;
    this.baselineRows = baselineRows;
    // access order + removeEldestEntry = LRU bound on memory at the edge
    this.groups = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Double, History> eldest) {
        return size() > maxGroups;
      }
    };
  }

  /** Number of groups currently remembered. */
  public synchronized int size() {
    return groups.size();
  }

  History history(double key) {
    return groups.computeIfAbsent(key, k -> new History(columns, historyLength, baselineRows));
  }

  /**
   * Ring buffers of the last values of each rolling column of one group, and the sums of its first
   * {@code baselineRows} values (the baseline a drift is measured from).
   */
  static final class History {
    final double[][] values;
    final int length;
    final int baselineRows;
    final double[] baselineSum;
    final int[] baselineCount;
    int count;
    int next;
    int seen;
    double lastOrder = Double.NaN;

    History(int columns, int length, int baselineRows) {
      this.values = new double[columns][length];
      this.length = length;
      this.baselineRows = baselineRows;
      this.baselineSum = new double[columns];
      this.baselineCount = new int[columns];
    }

    void clear() {
      count = 0;
      next = 0;
      seen = 0;
      java.util.Arrays.fill(baselineSum, 0);
      java.util.Arrays.fill(baselineCount, 0);
    }

    void append(double[] row) {
      for (int c = 0; c < row.length; c++) {
        values[c][next] = row[c];
        if (seen < baselineRows && !Double.isNaN(row[c])) {
          baselineSum[c] += row[c];
          baselineCount[c]++;
        }
      }
      next = (next + 1) % length;
      count = Math.min(count + 1, length);
      seen++;
    }

    /** Mean of column {@code c} over the group's first rows (NaN values skipped; all NaN gives NaN). */
    double baseline(int c) {
      return baselineCount[c] == 0 ? Double.NaN : baselineSum[c] / baselineCount[c];
    }

    /** Copies the last {@code n} values of column {@code c}, oldest first, into {@code out}. */
    void last(int c, int n, double[] out) {
      for (int i = 0; i < n; i++) {
        out[i] = values[c][Math.floorMod(next - n + i, length)];
      }
    }
  }
}
