package io.edgeloop.automl;

import io.edgeloop.automl.data.Table;
import java.util.SplittableRandom;

/** Small synthetic run-to-failure tables: units degrading over cycles, like C-MAPSS. */
public final class TableMother {

  private TableMother() {}

  /** {@code units} units of 40-80 cycles; s1 drifts with wear, s2 is noise, s3 is constant. */
  public static Table engines(int units, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] lengths = new int[units];
    int total = 0;
    for (int u = 0; u < units; u++) {
      lengths[u] = r.nextInt(40, 81);
      total += lengths[u];
    }
    double[] unit = new double[total];
    double[] cycle = new double[total];
    double[] s1 = new double[total];
    double[] s2 = new double[total];
    double[] s3 = new double[total];
    int i = 0;
    for (int u = 0; u < units; u++) {
      for (int c = 1; c <= lengths[u]; c++, i++) {
        unit[i] = u + 1;
        cycle[i] = c;
        double wear = (double) c / lengths[u];
        s1[i] = 500 + 20 * wear * wear + r.nextGaussian();
        s2[i] = r.nextDouble() < 0.05 ? Double.NaN : r.nextGaussian();
        s3[i] = 7;
      }
    }
    return Table.builder().numeric("unit", unit).numeric("cycle", cycle).numeric("s1", s1)
        .numeric("s2", s2).numeric("s3", s3).build();
  }

  /**
   * {@code units} units flying in {@code conditions} operating conditions (settings alt, mach
   * drawn per cycle, with small noise); s1 reads 500 + 40 per condition index, plus wear and noise,
   * s2 reads 10 x the condition index plus noise (no wear signal).
   */
  public static Table regimes(int units, int conditions, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    for (int u = 1; u <= units; u++) {
      int life = r.nextInt(40, 81);
      for (int c = 1; c <= life; c++) {
        int k = r.nextInt(conditions);
        double wear = (double) c / life;
        rows.add(new double[] {u, c, 10 * k + 0.01 * r.nextGaussian(), 0.1 * (k % 3) + 0.001 * r.nextGaussian(),
            500 + 40 * k + 20 * wear * wear + r.nextGaussian(), 10 * k + r.nextGaussian()});
      }
    }
    String[] names = {"unit", "cycle", "alt", "mach", "s1", "s2"};
    Table.Builder b = Table.builder();
    for (int j = 0; j < names.length; j++) {
      final int col = j;
      b.numeric(names[j], rows.stream().mapToDouble(row -> row[col]).toArray());
    }
    return b.build();
  }
}
