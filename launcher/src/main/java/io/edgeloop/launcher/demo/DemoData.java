package io.edgeloop.launcher.demo;

import io.edgeloop.launcher.fleet.CmapssWriter;
import io.edgeloop.launcher.fleet.FleetSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * What the demo feeds and scores: two batches of training files (C-MAPSS text) and held-out test
 * engines with their true remaining useful life. Either the fleet simulator's or real C-MAPSS files;
 * in the real case only the train file is fed, the test and RUL files only score. Public for
 * {@code bench/loop}, which replays the demo's data through AutoML and the gate without services.
 */
public record DemoData(String description, List<DemoFile> firstBatch, List<DemoFile> secondBatch, List<TestEngine> testEngines) {

  public static final List<String> COLUMNS;

  static {
    List<String> columns = new ArrayList<>(List.of("unit", "cycle", "op_setting_1", "op_setting_2", "op_setting_3"));
    for (int s = 1; s <= 21; s++) {
      columns.add("sensor_" + s);
    }
    COLUMNS = List.copyOf(columns);
  }

  /** A file to drop into the share. */
  public record DemoFile(String name, List<String> lines) {}

  /** A test engine: its rows up to the cut-off, and the true RUL after the last one. */
  public record TestEngine(int unit, List<double[]> rows, double trueRul) {}

  public static DemoData simulated(long seed, int trainEngines, int testEngines) {
    return simulated(seed, trainEngines, testEngines, 1, 1);
  }

  /** The simulator's fleet flying {@code conditions} operating conditions and failing by {@code faultModes} modes. */
  public static DemoData simulated(long seed, int trainEngines, int testEngines, int conditions, int faultModes) {
    FleetSimulator fleet = new FleetSimulator(seed, conditions, faultModes);
    List<DemoFile> first = new ArrayList<>();
    List<DemoFile> second = new ArrayList<>();
    int half = trainEngines / 2;
    int perFile = Math.max(1, half / 3);
    for (int start = 1; start <= trainEngines; start += perFile) {
      int end = Math.min(trainEngines, start + perFile - 1);
      if (start <= half && end > half) {
        end = half;
      }
      List<String> lines = new ArrayList<>();
      for (int unit = start; unit <= end; unit++) {
        fleet.engine(unit).rows().forEach(row -> lines.add(CmapssWriter.line(row)));
      }
      DemoFile file = new DemoFile(String.format("fleet_units_%03d-%03d.txt", start, end), lines);
      (end <= half ? first : second).add(file);
      start = end + 1 - perFile;
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<TestEngine> tests = new ArrayList<>();
    for (int i = 0; i < testEngines; i++) {
      FleetSimulator.Engine engine = fleet.engine(10_001 + i);
      int rul = 10 + random.nextInt(Math.max(1, Math.min(140, engine.failureCycle() - 40)));
      FleetSimulator.Engine cut = engine.truncated(engine.failureCycle() - rul);
      tests.add(new TestEngine(engine.unit(), cut.rows(), cut.remainingUsefulLife()));
    }
    return new DemoData(
        "simulated fleet (seed " + seed + ", " + conditions + " operating condition" + (conditions == 1 ? "" : "s") + ", "
            + faultModes + " fault mode" + (faultModes == 1 ? "" : "s") + "): " + trainEngines + " engines to failure in two batches, "
            + testEngines + " held-out engines",
        first, second, tests);
  }

  /** NASA's files: {@code train_<subset>}, {@code test_<subset>}, {@code RUL_<subset>}, as .txt or .txt.gz. */
  public static DemoData cmapss(Path dir, String subset) throws IOException {
    List<String> train = readLines(find(dir, "train_" + subset));
    Map<Integer, List<String>> byUnit = new LinkedHashMap<>();
    for (String line : train) {
      if (!line.isBlank()) {
        byUnit.computeIfAbsent(unit(line), u -> new ArrayList<>()).add(line);
      }
    }
    int maxUnit = byUnit.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow(() -> new IOException("empty train file"));
    List<String> firstLines = new ArrayList<>();
    List<String> secondLines = new ArrayList<>();
    byUnit.forEach((unit, lines) -> (unit <= maxUnit / 2 ? firstLines : secondLines).addAll(lines));

    Map<Integer, List<double[]>> testRows = new LinkedHashMap<>();
    for (String line : readLines(find(dir, "test_" + subset))) {
      if (!line.isBlank()) {
        double[] row = parse(line);
        testRows.computeIfAbsent((int) row[0], u -> new ArrayList<>()).add(row);
      }
    }
    List<String> rul = readLines(find(dir, "RUL_" + subset)).stream().filter(l -> !l.isBlank()).toList();
    List<TestEngine> tests = new ArrayList<>();
    int index = 0;
    for (Map.Entry<Integer, List<double[]>> engine : testRows.entrySet()) {
      tests.add(new TestEngine(engine.getKey(), engine.getValue(), Double.parseDouble(rul.get(index++).trim())));
    }
    return new DemoData(
        "NASA C-MAPSS " + subset + " from " + dir + ": train units 1-" + (maxUnit / 2) + " then " + (maxUnit / 2 + 1) + "-" + maxUnit
            + "; " + tests.size() + " test engines scored at their last cycle",
        List.of(new DemoFile("train_" + subset + "_part1.txt", firstLines)),
        List.of(new DemoFile("train_" + subset + "_part2.txt", secondLines)),
        tests);
  }

  /** A file that must be quarantined: C-MAPSS-shaped, with a sensor dump in the middle. */
  static DemoFile corrupted(List<String> sample) {
    List<String> lines = new ArrayList<>(sample.subList(0, Math.min(40, sample.size())));
    lines.set(lines.size() / 2, "7 112 -0.0007 0.0004 100.0 518.67 ERR#SENSOR_BUS_TIMEOUT 1589.7 1400.6 14.62");
    return new DemoFile("fleet_gateway_dump.txt", lines);
  }

  private static Path find(Path dir, String stem) throws IOException {
    for (String name : List.of(stem + ".txt", stem + ".txt.gz")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    throw new IOException("missing " + stem + ".txt (or .txt.gz) in " + dir);
  }

  private static List<String> readLines(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      return reader.lines().toList();
    }
  }

  private static int unit(String line) {
    return Integer.parseInt(line.trim().split("\\s+")[0]);
  }

  static double[] parse(String line) {
    String[] fields = line.trim().split("\\s+");
    double[] row = new double[fields.length];
    for (int i = 0; i < fields.length; i++) {
      row[i] = Double.parseDouble(fields[i]);
    }
    return row;
  }
}
