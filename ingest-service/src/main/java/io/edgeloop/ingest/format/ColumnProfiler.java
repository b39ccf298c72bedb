package io.edgeloop.ingest.format;

import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.ColumnProfile;
import io.edgeloop.storage.dataset.RowValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Running per-column count, nulls (NaN counts as null), min, max and mean, one row at a time. */
final class ColumnProfiler {
  private final List<Column> columns;
  private final int[] kinds;
  private final long[] nulls;
  private final long[] numeric;
  private final double[] min;
  private final double[] max;
  private final double[] sum;
  private long rows;

  ColumnProfiler(List<Column> columns) {
    this.columns = columns;
    int n = columns.size();
    kinds = new int[n];
    for (int i = 0; i < n; i++) {
      kinds[i] = switch (columns.get(i).type()) {
        case "int64" -> 0;
        case "float64" -> 1;
        case "boolean" -> 2;
        default -> 3;
      };
    }
    nulls = new long[n];
    numeric = new long[n];
    min = new double[n];
    max = new double[n];
    sum = new double[n];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  void add(RowValues row) {
    rows++;
    for (int i = 0; i < kinds.length; i++) {
      if (!row.isPresent(i)) {
        nulls[i]++;
        continue;
      }
      double v;
      switch (kinds[i]) {
        case 0 -> v = row.getLong(i);
        case 1 -> v = row.getDouble(i);
        case 2 -> v = row.getBoolean(i) ? 1 : 0;
        default -> {
          continue;
        }
      }
      if (Double.isNaN(v)) {
        nulls[i]++;
        continue;
      }
      numeric[i]++;
      min[i] = Math.min(min[i], v);
      max[i] = Math.max(max[i], v);
      sum[i] += v;
    }
  }

  Map<String, ColumnProfile> profile() {
    Map<String, ColumnProfile> out = new LinkedHashMap<>();
    for (int i = 0; i < kinds.length; i++) {
      boolean stats = kinds[i] <= 2 && numeric[i] > 0;
      out.put(columns.get(i).name(), new ColumnProfile(rows, nulls[i],
          stats && kinds[i] != 2 ? min[i] : null,
          stats && kinds[i] != 2 ? max[i] : null,
          stats ? sum[i] / numeric[i] : null));
    }
    return out;
  }
}
