package io.edgeloop.training.trainer;

import io.edgeloop.automl.data.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The service's own holdout for AutoML runs, fixed across runs: a group (an engine unit) is held
 * out when a hash of its key falls under {@code fraction}; without a group key, a row is held out by
 * a hash of its values. Because the rule depends only on the data, the champion never trained on the
 * holdout of a later run either, so champion and challenger are compared on the same unseen rows.
 */
final class HoldoutSplit {
  private HoldoutSplit() {}

  /** {@code [train, holdout]}. */
  static Table[] split(Table table, String groupKey, double fraction) {
    IntPredicate held = i -> {
      long h = groupKey != null && table.has(groupKey) && table.isNumeric(groupKey)
          ? Double.doubleToLongBits(table.numeric(groupKey)[i])
          : rowHash(table, i);
      return Math.floorMod(mix(h), 10_000) < fraction * 10_000;
    };
    List<Integer> train = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (int i = 0; i < table.rowCount(); i++) {
      (held.test(i) ? holdout : train).add(i);
    }
    return new Table[] {subset(table, train), subset(table, holdout)};
  }

  private static long rowHash(Table table, int i) {
    long h = 17;
    for (String c : table.columnNames()) {
      h = 31 * h + (table.isNumeric(c) ? Double.hashCode(table.numeric(c)[i]) : String.valueOf(table.text(c)[i]).hashCode());
    }
    return h;
  }

  /** SplitMix64 finaliser: spreads consecutive unit numbers evenly. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static Table subset(Table table, List<Integer> rows) {
    Table.Builder b = Table.builder();
    for (String c : table.columnNames()) {
      if (table.isNumeric(c)) {
        double[] all = table.numeric(c);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = all[rows.get(i)];
        }
        b.numeric(c, out);
      } else {
        String[] all = table.text(c);
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = all[rows.get(i)];
        }
        b.text(c, out);
      }
    }
    return b.build();
  }
}
