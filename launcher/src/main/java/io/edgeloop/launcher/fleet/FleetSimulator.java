package io.edgeloop.launcher.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A physics-inspired turbofan fleet: each engine starts with its own manufacturing offsets and
 * initial wear, degrades exponentially at its own rate until its health margin is used up (the
 * failure cycle), and its sensors respond to that degradation with their own sensitivity plus
 * measurement noise. Seven of the 21 sensors carry no degradation signal, as in FD001. Same seed,
 * same fleet.
 */
public final class FleetSimulator {
  /** Nominal sensor values (FD001-like), per sensor 1..21. */
  private static final double[] BASE = {
    518.67, 642.0, 1585.0, 1398.0, 14.62, 21.61, 554.5, 2388.0, 9045.0, 1.3,
    47.2, 522.3, 2388.0, 8135.0, 8.41, 0.03, 391.0, 2388.0, 100.0, 38.9, 23.35
  };
  /** Change at failure, per sensor (0 = no signal). Signs follow FD001's trends. */
  private static final double[] SHIFT = {
    0, 1.6, 17.0, 25.0, 0, 0, -2.4, 0.12, 20.0, 0,
    0.9, -2.2, 0.12, 12.0, 0.09, 0, 4.0, 0, 0, -0.55, -0.33
  };
  /** Measurement noise (standard deviation), per sensor. */
  private static final double[] NOISE = {
    0, 0.45, 5.5, 7.5, 0, 0.001, 0.8, 0.06, 18.0, 0,
    0.24, 0.65, 0.06, 17.0, 0.035, 0, 1.4, 0, 0, 0.17, 0.1
  };

  private final long seed;

  public FleetSimulator(long seed) {
    this.seed = seed;
  }

  /** Engine {@code unit} (1-based) run until failure. Units are independent of how many are asked for. */
  public Engine engine(int unit) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + unit);
    int life = 128 + random.nextInt(235); // failure cycle, FD001 spans ~128..362
    double rate = 2.0 + 2.5 * random.nextDouble(); // curvature of the degradation
    double initialWear = 0.15 * random.nextDouble();
    double[] offsets = new double[BASE.length];
    for (int s = 0; s < BASE.length; s++) {
      offsets[s] = NOISE[s] * 0.5 * gaussian(random);
    }
    List<double[]> rows = new ArrayList<>(life);
    for (int cycle = 1; cycle <= life; cycle++) {
      double progress = (double) cycle / life;
      double wear = initialWear + (1 - initialWear) * (Math.expm1(rate * progress) / Math.expm1(rate));
      double[] row = new double[26];
      row[0] = unit;
      row[1] = cycle;
      row[2] = round(0.0022 * gaussian(random), 4);
      row[3] = round(0.0003 * gaussian(random), 4);
      row[4] = 100.0;
      for (int s = 0; s < BASE.length; s++) {
        double value = BASE[s] + offsets[s] + SHIFT[s] * wear + NOISE[s] * gaussian(random);
        row[5 + s] = round(value, BASE[s] > 100 ? 2 : 4);
      }
      rows.add(row);
    }
    return new Engine(unit, life, rows);
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** One engine's rows (unit, cycle, 3 settings, 21 sensors), from cycle 1 to failure. */
  public record Engine(int unit, int failureCycle, List<double[]> rows) {
    /** The first {@code cycles} rows: a test engine cut off before failure, with RUL = failure - cycles. */
    public Engine truncated(int cycles) {
      return new Engine(unit, failureCycle, rows.subList(0, cycles));
    }

    public int remainingUsefulLife() {
      return failureCycle - rows.size();
    }
  }
}
