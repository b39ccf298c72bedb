package io.edgeloop.launcher.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A physics-inspired turbofan fleet, modelled on NASA's C-MAPSS subsets. Each engine starts with
 * its own manufacturing offsets and initial wear; its fault grows exponentially per cycle flown, at
 * a rate near a common one, until its health margin is used up (the failure cycle). So wear tells
 * cycles to failure about as well for a short life as for a long one, as on NASA's data, and a
 * model learns that relation better from more engines. Its sensors respond to that degradation with a
 * signature that depends on its fault mode, plus measurement noise; seven of the 21 sensors carry
 * no degradation signal, as in FD001.
 *
 * <p>Operating conditions: with one condition the three settings are noise around sea level at
 * full throttle (FD001, FD003); with several, each cycle (a flight) is flown in one of up to six
 * conditions (altitude, Mach number, throttle resolver angle; FD002, FD004's six), which move every
 * sensor's level, degradation response and noise far more than wear does. Fault modes: 1 = high
 * pressure compressor degradation (FD001, FD002); 2 = that or fan degradation, whose signature
 * differs (FD003, FD004: some sensors move the other way).
 *
 * <p>Same seed and shape, same fleet; an engine does not depend on how many others are asked for.
 */
public final class FleetSimulator {
  /** The six operating conditions of FD002/FD004: altitude (kft), Mach number, throttle resolver angle. */
  private static final double[][] CONDITIONS = {
    {0, 0, 100}, {10, 0.25, 100}, {20, 0.70, 100}, {25, 0.62, 60}, {35, 0.84, 100}, {42, 0.84, 100}
  };
  /** Nominal sensor values (FD001-like, sea level), per sensor 1..21. */
  private static final double[] BASE = {
    518.67, 642.0, 1585.0, 1398.0, 14.62, 21.61, 554.5, 2388.0, 9045.0, 1.3,
    47.2, 522.3, 2388.0, 8135.0, 8.41, 0.03, 391.0, 2388.0, 100.0, 38.9, 23.35
  };
  /** How strongly a sensor's level follows the operating condition (relative). */
  private static final double[] CONDITION_SENSITIVITY = {
    0.14, 0.17, 0.20, 0.25, 0.70, 0.70, 0.70, 0.03, 0.12, 0.18,
    0.70, 0.70, 0.03, 0.06, 0.12, 0.10, 0.15, 0.03, 0.16, 0.72, 0.72
  };
  /** Change at failure per sensor (0 = no signal): high pressure compressor degradation. Signs follow FD001. */
  private static final double[] HPC_SHIFT = {
    0, 1.6, 17.0, 25.0, 0, 0, -2.4, 0.12, 20.0, 0,
    0.9, -2.2, 0.12, 12.0, 0.09, 0, 4.0, 0, 0, -0.55, -0.33
  };
  /** Change at failure per sensor: fan degradation, as in FD003 (sensors 7, 12, 20, 21 rise instead). */
  private static final double[] FAN_SHIFT = {
    0, 1.1, 11.0, 17.0, 0, 0, 2.0, 0.25, 32.0, 0,
    0.5, 1.9, 0.24, 22.0, 0.05, 0, 2.8, 0, 0, 0.45, 0.28
  };
  /** Measurement noise (standard deviation) per sensor, at sea level. */
  private static final double[] NOISE = {
    0, 0.45, 5.5, 7.5, 0, 0.001, 0.8, 0.06, 18.0, 0,
    0.24, 0.65, 0.06, 17.0, 0.035, 0, 1.4, 0, 0, 0.17, 0.1
  };
  /**
   * Range of the fault's growth per cycle. With about 0.02, wear rises out of the sensor noise some
   * 100 to 150 cycles before failure whatever the engine's life, as in C-MAPSS (the reason RUL
   * targets are capped near 125): how far an engine is from failure shows in its sensors, so more
   * engines teach a model more. (Growth as a share of each engine's life instead made a short life
   * look healthy until its last cycles and a long one worn for half of it: an error that no amount
   * of data reduces.)
   */
  private static final double MIN_GROWTH = 0.015;
  private static final double MAX_GROWTH = 0.025;
  /** Most conditions the simulator knows. */
  public static final int MAX_CONDITIONS = CONDITIONS.length;
  /** Most fault modes the simulator knows. */
  public static final int MAX_FAULT_MODES = 2;

  private final long seed;
  private final int conditions;
  private final int faultModes;

  /** One operating condition, one fault mode (FD001-like). */
  public FleetSimulator(long seed) {
    this(seed, 1, 1);
  }

  /**
   * @param conditions operating conditions flown, 1 to 6
   * @param faultModes fault modes engines fail by, 1 or 2
   * @throws IllegalArgumentException for other counts
   */
  public FleetSimulator(long seed, int conditions, int faultModes) {
    if (conditions < 1 || conditions > MAX_CONDITIONS) {
      throw new IllegalArgumentException("conditions must be 1 to " + MAX_CONDITIONS + " (C-MAPSS has 1 or 6), got " + conditions);
    }
    if (faultModes < 1 || faultModes > MAX_FAULT_MODES) {
      throw new IllegalArgumentException("fault modes must be 1 or 2 (C-MAPSS: HPC, HPC + fan), got " + faultModes);
    }
    this.seed = seed;
    this.conditions = conditions;
    this.faultModes = faultModes;
  }

  /** Engine {@code unit} (1-based) run until failure. Units are independent of how many are asked for. */
  public Engine engine(int unit) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + unit);
    int life = 128 + random.nextInt(235); // failure cycle, FD001 spans ~128..362
    // the fault grows exponentially in cycles flown, at a rate of the engine's own around a common
    // one; a long life comes from a small initial fault, not from a slower fault
    double growth = MIN_GROWTH + (MAX_GROWTH - MIN_GROWTH) * random.nextDouble();
    double initialWear = 0.15 * random.nextDouble();
    double[] offsets = new double[BASE.length];
    for (int s = 0; s < BASE.length; s++) {
      offsets[s] = NOISE[s] * 0.8 * gaussian(random);
    }
    // drawn after the engine's own values, so a one-mode fleet is unchanged by the second mode's existence
    int faultMode = faultModes == 1 ? 0 : random.nextInt(faultModes);
    double[] shift = faultMode == 0 ? HPC_SHIFT : FAN_SHIFT;
    // operating conditions come from a stream of their own: the engine's degradation and noise are
    // the same whatever it flies
    SplittableRandom flights = new SplittableRandom(seed * 1_000_003L + unit + 0x5DEECE66DL);
    List<double[]> rows = new ArrayList<>(life);
    for (int cycle = 1; cycle <= life; cycle++) {
      double wear = initialWear + (1 - initialWear) * (Math.expm1(growth * cycle) / Math.expm1(growth * life));
      double[] row = new double[26];
      row[0] = unit;
      row[1] = cycle;
      int condition = conditions == 1 ? 0 : flights.nextInt(conditions);
      double[] setting = CONDITIONS[condition];
      if (conditions == 1) {
        row[2] = round(0.0022 * gaussian(flights), 4);
        row[3] = round(0.0003 * gaussian(flights), 4);
        row[4] = 100.0;
      } else {
        row[2] = round(setting[0] + 0.003 * gaussian(flights), 4);
        row[3] = round(setting[1] + 0.0003 * gaussian(flights), 4);
        row[4] = setting[2];
      }
      double level = conditionLevel(setting);
      for (int s = 0; s < BASE.length; s++) {
        double factor = 1 + CONDITION_SENSITIVITY[s] * level;
        double value = factor * (BASE[s] + offsets[s] + shift[s] * wear + NOISE[s] * gaussian(random));
        row[5 + s] = round(value, BASE[s] > 100 ? 2 : 4);
      }
      rows.add(row);
    }
    return new Engine(unit, life, rows);
  }

  /**
   * How far a condition moves sensor levels from sea level at full throttle, in [-1, 0]: thinner
   * air at altitude, less throttle, less everything; Mach recovers a little of it (ram pressure).
   */
  private static double conditionLevel(double[] setting) {
    return -0.016 * setting[0] + 0.25 * setting[1] - 0.9 * (1 - setting[2] / 100);
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
