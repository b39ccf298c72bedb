package io.edgeloop.ingest.format;

import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.ColumnProfile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-column count, nulls (NaN counts as null), min, max and mean. Each chunk is profiled on its own
 * (in parallel) and the chunks are merged in input order, so the result does not depend on timing.
 */
final class ColumnProfiler {
  private final int[] kinds;
  private final long[] nulls;
  private final long[] numeric;
  private final double[] min;
  private final double[] max;
  private final double[] sum;
  private long rows;

  ColumnProfiler(int[] kinds) {
    this.kinds = kinds;
    int n = kinds.length;
    nulls = new long[n];
    numeric = new long[n];
    min = new double[n];
    max = new double[n];
    sum = new double[n];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  /** The profile of one chunk's rows. */
  static ColumnProfiler of(ColumnVectors v) {
    ColumnProfiler p = new ColumnProfiler(v.kinds);
    p.rows = v.rows;
    for (int c = 0; c < v.kinds.length; c++) {
      boolean[] present = v.present[c];
      long missing = 0;
      long count = 0;
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      double total = 0;
      switch (v.kinds[c]) {
        case ColumnVectors.INT64, ColumnVectors.FLOAT64 -> {
          long[] longs = v.longs[c];
          double[] doubles = v.doubles[c];
          for (int r = 0; r < v.rows; r++) {
            double d = doubles != null ? doubles[r] : longs[r];
            if (present[r] && !Double.isNaN(d)) {
              lo = Math.min(lo, d);
              hi = Math.max(hi, d);
              total += d;
              count++;
            } else {
              missing++;
            }
          }
        }
        case ColumnVectors.BOOLEAN -> {
          boolean[] values = v.booleans[c];
          for (int r = 0; r < v.rows; r++) {
            if (present[r]) {
              total += values[r] ? 1 : 0;
              count++;
            } else {
              missing++;
            }
          }
        }
        default -> missing = v.nulls[c];
      }
      p.nulls[c] = missing;
      p.numeric[c] = count;
      p.min[c] = lo;
      p.max[c] = hi;
      p.sum[c] = total;
    }
    return p;
  }

  /** Adds the next chunk's profile. */
  void merge(ColumnProfiler next) {
    rows += next.rows;
    for (int c = 0; c < kinds.length; c++) {
      nulls[c] += next.nulls[c];
      numeric[c] += next.numeric[c];
      min[c] = Math.min(min[c], next.min[c]);
      max[c] = Math.max(max[c], next.max[c]);
      sum[c] += next.sum[c];
    }
  }

  long rows() {
    return rows;
  }

  Map<String, ColumnProfile> profile(List<Column> columns) {
    Map<String, ColumnProfile> out = new LinkedHashMap<>();
    for (int i = 0; i < kinds.length; i++) {
      boolean numericKind = kinds[i] == ColumnVectors.INT64 || kinds[i] == ColumnVectors.FLOAT64;
      boolean stats = (numericKind || kinds[i] == ColumnVectors.BOOLEAN) && numeric[i] > 0;
      out.put(columns.get(i).name(), new ColumnProfile(rows, nulls[i],
          stats && numericKind ? min[i] : null,
          stats && numericKind ? max[i] : null,
          stats ? sum[i] / numeric[i] : null));
    }
    return out;
  }
}
