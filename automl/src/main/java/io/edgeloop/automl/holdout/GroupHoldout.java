package io.edgeloop.automl.holdout;

import io.edgeloop.automl.data.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * A holdout fixed across runs: a group (an engine unit) is held out when a hash of its key falls
 * under {@code fraction}; without a group key, a row is held out by a hash of its values. The rule
 * depends only on the key, never on which rows a run has, so a unit held out from one run is held
 * out from every run: no champion ever trained on a later challenger's holdout, and both are
 * compared on the same unseen units.
 */
public final class GroupHoldout {

  private GroupHoldout() {}

  /** The table's rows split into those a run may train on and those it is scored on. */
  public record Split(Table train, Table holdout) {}

  public static Split split(Table table, String groupKey, double fraction) {
    List<Integer> train = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    boolean byGroup = groupKey != null && table.has(groupKey) && table.isNumeric(groupKey);
    for (int i = 0; i < table.rowCount(); i++) {
      long h = byGroup ? Double.doubleToLongBits(table.numeric(groupKey)[i]) : rowHash(table, i);
      (isHeldOut(h, fraction) ? holdout : train).add(i);
    }
    return new Split(subset(table, train), subset(table, holdout));
  }

  /** Whether the group with this key is held out. */
  public static boolean heldOut(double groupKey, double fraction) {
    return isHeldOut(Double.doubleToLongBits(groupKey), fraction);
  }

  private static boolean isHeldOut(long hash, double fraction) {
    return Math.floorMod(mix(hash), 10_000) < fraction * 10_000;
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

  /** The given rows of a table, in that order. */
  public static Table subset(Table table, List<Integer> rows) {
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
