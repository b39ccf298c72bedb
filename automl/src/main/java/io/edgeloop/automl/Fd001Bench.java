package io.edgeloop.automl;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.data.TableLoader;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Benchmark: trains the bundled FD001 spec on {@code train_FD001} only, then scores the exported
 * package on the test engines' last cycles. Usage: {@code Fd001Bench <cmapss dir> [budget seconds]}.
 */
public final class Fd001Bench {

  private Fd001Bench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/cmapss");
    ExperimentSpec spec = bundledSpec();
    if (args.length > 1) {
      Map<String, Object> m = new java.util.HashMap<>(ExperimentSpecs.toMap(spec));
      m.put("timeBudgetSeconds", Double.parseDouble(args[1]));
      spec = ExperimentSpecs.fromMap(m);
    }
    Table train = TableLoader.cmapss(dir.resolve("train_FD001.txt.gz"));
    Path out = Files.createTempDirectory("fd001-package");
    long start = System.nanoTime();
    AutoMlResult result = AutoMl.run(spec, train, List.of(), t -> System.out.printf(
        "trial %2d %-13s %s=%.3f %5d ms %s%n", t.index(), t.family(), "rmse", t.score(), t.millis(),
        t.error() == null ? t.params() : t.error()), out);
    double wall = (System.nanoTime() - start) / 1e9;
    Table test = TableLoader.cmapss(dir.resolve("test_FD001.txt.gz"));
    double[] rul = readRul(dir.resolve("RUL_FD001.txt.gz"));
    Fd001Evaluation.Score score = Fd001Evaluation.evaluate(out, test, rul);
    System.out.printf("best: trial %d %s %s%n", result.best().index(), result.best().family(), result.best().params());
    System.out.printf("FD001 test RMSE %.2f, PHM08 score %.0f, engines %d, training wall time %.1f s, trials %d, "
        + "parity max abs diff %.3g, package %s%n", score.rmse(), score.phm08(), score.engines(), wall,
        result.trials().size(), result.parityMaxAbsDiff(), out);
  }

  /** The FD001 spec shipped with this module. */
  public static ExperimentSpec bundledSpec() throws java.io.IOException {
    try (InputStream in = Fd001Bench.class.getResourceAsStream("fd001-rul.yaml")) {
      return ExperimentSpecs.parseYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** One true RUL per line. */
  public static double[] readRul(Path file) throws java.io.IOException {
    return TableLoader.firstColumn(file);
  }
}
