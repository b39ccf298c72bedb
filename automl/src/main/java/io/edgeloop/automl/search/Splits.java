package io.edgeloop.automl.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Validation splits that never put rows of one group on both sides: the distinct groups are
 * shuffled with the seed, then the first {@code fraction} of them is held out (holdout) or they
 * are dealt round-robin into folds (kfold). Without a group key every row is its own group.
 */
public final class Splits {

  /** Row indices of one split. */
  public record Fold(int[] train, int[] validation) {}

  private Splits() {}

  public static List<Fold> holdout(double[] groups, double fraction, long seed) {
    List<Double> order = shuffledGroups(groups, seed);
    int held = Math.max(1, (int) Math.round(fraction * order.size()));
    Map<Double, Integer> fold = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      fold.put(order.get(i), i < held ? 0 : 1);
    }
    return List.of(fold(groups, fold, 0));
  }

  public static List<Fold> kfold(double[] groups, int folds, long seed) {
    List<Double> order = shuffledGroups(groups, seed);
    Map<Double, Integer> fold = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      fold.put(order.get(i), i % folds);
    }
    List<Fold> out = new ArrayList<>();
    for (int k = 0; k < Math.min(folds, order.size()); k++) {
      out.add(fold(groups, fold, k));
    }
    return out;
  }

  private static Fold fold(double[] groups, Map<Double, Integer> fold, int k) {
    int[] valid = IntStream.range(0, groups.length).filter(i -> fold.get(groups[i]) == k).toArray();
    int[] train = IntStream.range(0, groups.length).filter(i -> fold.get(groups[i]) != k).toArray();
    return new Fold(train, valid);
  }

  private static List<Double> shuffledGroups(double[] groups, long seed) {
    List<Double> order = new ArrayList<>(new TreeSet<>(java.util.Arrays.stream(groups).boxed().toList()));
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Double t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    return order;
  }
}
