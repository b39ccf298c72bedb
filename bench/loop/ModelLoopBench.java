import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeloop.automl.AutoMl;
import io.edgeloop.automl.AutoMlResult;
import io.edgeloop.automl.Fd001Evaluation;
import io.edgeloop.automl.TrialListener;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.data.TableLoader;
import io.edgeloop.automl.holdout.GroupHoldout;
import io.edgeloop.automl.holdout.HoldoutScorer;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.launcher.demo.DemoData;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model side of the demo's loop, without services: the demo's own data (DemoData) and spec go
 * through the same AutoML and gate code the training service runs (GroupHoldout, AutoMl.run for the
 * first batch, AutoMl.refit for the second, HoldoutScorer on the shared holdout), and the served
 * model (the champion after the gate) is scored on the demo's test engines at their last cycle, as
 * the demo scores it through the model server. The budgets are trials, so the figures (RMSE,
 * PHM08, the gate's values, promotions) do not depend on the machine's load; the seconds do.
 *
 * Usage (bench/loop/model-loop.sh builds and runs it):
 *   ModelLoopBench sim [seeds=1..10] [conditions=1] [faultModes=1] [engines=60] [testEngines=40]
 *   ModelLoopBench cmapss DIR [SUBSET ...]
 */
public class ModelLoopBench {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("cmapss")) {
      Path dir = Path.of(args[1]);
      List<String> subsets = args.length > 2 ? List.of(args).subList(2, args.length) : present(dir);
      ExperimentSpec spec = spec("io/edgeloop/launcher/demo/cmapss-experiment.yaml", "/spec/settings");
      for (String subset : subsets) {
        loop("cmapss " + subset, spec, DemoData.cmapss(dir, subset));
      }
      return;
    }
    Map<String, String> o = options(args);
    String[] seeds = o.getOrDefault("seeds", "1..10").split("\\.\\.");
    int conditions = Integer.parseInt(o.getOrDefault("conditions", "1"));
    int faultModes = Integer.parseInt(o.getOrDefault("faultModes", "1"));
    int engines = Integer.parseInt(o.getOrDefault("engines", "60"));
    int testEngines = Integer.parseInt(o.getOrDefault("testEngines", "40"));
    ExperimentSpec spec = spec("training-service.yml", "/edgeloop/training/experiments/0/spec/settings");
    List<Outcome> outcomes = new ArrayList<>();
    for (long seed = Long.parseLong(seeds[0]); seed <= Long.parseLong(seeds[seeds.length - 1]); seed++) {
      outcomes.add(loop(String.format(Locale.ROOT, "sim seed=%d conditions=%d faultModes=%d", seed, conditions, faultModes), spec,
          DemoData.simulated(seed, engines, testEngines, conditions, faultModes)));
    }
    System.out.printf(Locale.ROOT, "SUMMARY sim conditions=%d faultModes=%d engines=%d: promoted %d of %d; served rmse mean %.2f (min %.2f, max %.2f); "
            + "phm08 mean %.0f; v1 cpu_s mean %.1f, v2 cpu_s mean %.1f%n", conditions, faultModes, engines,
        outcomes.stream().filter(Outcome::promoted).count(), outcomes.size(),
        outcomes.stream().mapToDouble(Outcome::rmse).average().orElse(Double.NaN),
        outcomes.stream().mapToDouble(Outcome::rmse).min().orElse(Double.NaN),
        outcomes.stream().mapToDouble(Outcome::rmse).max().orElse(Double.NaN),
        outcomes.stream().mapToDouble(Outcome::phm08).average().orElse(Double.NaN),
        outcomes.stream().mapToDouble(Outcome::v1Cpu).average().orElse(Double.NaN),
        outcomes.stream().mapToDouble(Outcome::v2Cpu).average().orElse(Double.NaN));
  }

  record Outcome(boolean promoted, double rmse, double phm08, double v1Cpu, double v2Cpu) {}

  static Outcome loop(String name, ExperimentSpec spec, DemoData data) throws Exception {
    Path work = Files.createTempDirectory("edgeloop-model-loop-");
    Table batch1 = table(work.resolve("batch1.txt"), data.firstBatch());
    List<DemoData.DemoFile> both = new ArrayList<>(data.firstBatch());
    both.addAll(data.secondBatch());
    Table all = table(work.resolve("all.txt"), both);
    GroupHoldout.Split first = GroupHoldout.split(batch1, "unit", 0.2);
    GroupHoldout.Split second = GroupHoldout.split(all, "unit", 0.2);

    double[] t0 = clocks();
    AutoMlResult v1 = AutoMl.run(spec, first.train(), List.of(), TrialListener.none(), work.resolve("v1"));
    double[] t1 = clocks();
    AutoMlResult v2 = AutoMl.refit(spec, second.train(), List.of(), v1.manifest(), work.resolve("v2"));
    double[] t2 = clocks();

    HoldoutScorer gate = new HoldoutScorer(spec, second.holdout());
    double champion = gate.score(v1.manifest(), Files.readAllBytes(work.resolve("v1/model.onnx")), "rmse");
    double challenger = gate.score(v2.manifest(), Files.readAllBytes(work.resolve("v2/model.onnx")), "rmse");
    boolean promoted = challenger < champion;
    Fd001Evaluation.Score v1Test = test(work.resolve("v1"), data);
    Fd001Evaluation.Score served = promoted ? test(work.resolve("v2"), data) : v1Test;
    System.out.printf(Locale.ROOT, "%s: v1 search %d trials %.1f s (cpu %.1f s) | v2 refit %.1f s (cpu %.1f s) | gate rmse on %d held-out units:"
            + " v2 %.3f vs v1 %.3f -> %s | served v%d test rmse %.2f phm08 %.0f (v1 alone %.2f) on %d engines%n",
        name, v1.trials().size(), t1[0] - t0[0], t1[1] - t0[1], t2[0] - t1[0], t2[1] - t1[1], gate.groups(), challenger, champion,
        promoted ? "promoted" : "not promoted", promoted ? 2 : 1, served.rmse(), served.phm08(), v1Test.rmse(), served.engines());
    return new Outcome(promoted, served.rmse(), served.phm08(), t1[1] - t0[1], t2[1] - t1[1]);
  }

  /** The served package scored at each test engine's last cycle, rows fed one at a time through its pipeline. */
  static Fd001Evaluation.Score test(Path packageDir, DemoData data) throws Exception {
    List<String> lines = new ArrayList<>();
    double[] rul = new double[data.testEngines().size()];
    for (int i = 0; i < rul.length; i++) {
      DemoData.TestEngine engine = data.testEngines().get(i);
      rul[i] = engine.trueRul();
      for (double[] row : engine.rows()) {
        lines.add(io.edgeloop.launcher.fleet.CmapssWriter.line(row));
      }
    }
    Path file = Files.createTempFile("edgeloop-test-engines-", ".txt");
    Files.write(file, lines);
    return Fd001Evaluation.evaluate(packageDir, TableLoader.cmapss(file), rul);
  }

  static Table table(Path file, List<DemoData.DemoFile> files) throws Exception {
    List<String> lines = new ArrayList<>();
    files.forEach(f -> lines.addAll(f.lines()));
    Files.write(file, lines);
    return TableLoader.cmapss(file);
  }

  /** Wall and process CPU seconds (the CPU time counts XGBoost's native threads too). */
  static double[] clocks() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new double[] {System.nanoTime() / 1e9, os.getProcessCpuTime() / 1e9};
  }

  /** The AutoML settings at {@code pointer} of a YAML resource on the classpath: what the services use. */
  @SuppressWarnings("unchecked")
  static ExperimentSpec spec(String resource, String pointer) throws Exception {
    try (InputStream in = ModelLoopBench.class.getClassLoader().getResourceAsStream(resource)) {
      JsonNode settings = YAML.readTree(in).at(pointer);
      return ExperimentSpecs.fromMap(YAML.convertValue(settings, Map.class));
    }
  }

  static List<String> present(Path dir) {
    List<String> subsets = new ArrayList<>();
    for (String s : List.of("FD001", "FD002", "FD003", "FD004")) {
      if (Files.exists(dir.resolve("train_" + s + ".txt")) || Files.exists(dir.resolve("train_" + s + ".txt.gz"))) {
        subsets.add(s);
      }
    }
    return subsets;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new java.util.HashMap<>();
    for (String a : args) {
      if (a.contains("=")) {
        o.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      }
    }
    return o;
  }
}
