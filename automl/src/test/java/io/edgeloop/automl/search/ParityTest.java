package io.edgeloop.automl.search;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.automl.onnx.ParityCheck;
import io.edgeloop.modelpackage.Task;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every family and task exports to ONNX and ONNX Runtime reproduces it, missing values included. */
class ParityTest {

  static Stream<Arguments> familiesAndTasks() {
    return Stream.of("xgboost", "random_forest", "linear").flatMap(f ->
        Stream.of(Task.REGRESSION, Task.BINARY, Task.MULTICLASS).map(t -> Arguments.of(f, t)));
  }

  /** 6 features, ~15% NaN; missingness itself carries signal so trees learn both default directions. */
  static float[][] features(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[n][6];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        x[i][j] = r.nextDouble() < 0.15 ? Float.NaN : (float) (r.nextGaussian() * (j + 1) + 100 * j);
      }
    }
    return x;
  }

  static double signal(float[] row) {
    double s = 0;
    for (int j = 0; j < row.length; j++) {
      double v = Float.isNaN(row[j]) ? (j % 2 == 0 ? 3 : -3) : (row[j] - 100 * j) / (j + 1);
      s += (j + 1) * v * (j % 3 == 0 ? 1 : -0.5);
    }
    return s;
  }

  static double[] target(float[][] x, Task task) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = signal(x[i]);
      y[i] = switch (task) {
        case REGRESSION -> 50 + 10 * s;
        case BINARY -> s > 0 ? 1 : 0;
        case MULTICLASS -> s < -3 ? 0 : s < 3 ? 1 : 2;
      };
    }
    return y;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("familiesAndTasks")
  void onnxRuntimeShouldReproduceTheTrainedModel(String familyName, Task task) throws Exception {
    float[][] train = features(600, 1);
    float[][] check = features(300, 2);
    int classes = task == Task.REGRESSION ? 1 : task == Task.BINARY ? 2 : 3;
    ModelFamily family = ModelFamilies.named(familyName);
    Map<String, Object> params = family.sample(new SplittableRandom(7), task);

    FittedModel model = family.fit(train, target(train, task), task, classes, params, 1, 42);
    byte[] onnx = model.toOnnx("parity");
    ParityCheck.Result result = ParityCheck.run(model, onnx, check);

    System.out.printf("parity %s %s: max abs diff %.3g, max rel diff %.3g over %d rows%n",
        familyName, task.id(), result.maxAbsDiff(), result.maxRelDiff(), result.rows());
    assertThat(result.passed()).as("max abs diff %s", result.maxAbsDiff()).isTrue();
    // outputs here reach ~500, where one float32 ulp is 3e-5: a few ulps of summation-order difference
    assertThat(result.maxRelDiff()).isLessThan(1e-3);
    if (!familyName.equals("linear")) {
      assertThat(defaultDirections(onnx)).as("trees route missing values both ways").containsExactlyInAnyOrder(0L, 1L);
    }
  }

  private static java.util.Set<Long> defaultDirections(byte[] onnx) throws Exception {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(onnx);
    OnnxMl.NodeProto node = m.getGraph().getNode(0);
    OnnxMl.AttributeProto modes = node.getAttributeList().stream()
        .filter(a -> a.getName().equals("nodes_modes")).findFirst().orElseThrow();
    OnnxMl.AttributeProto missing = node.getAttributeList().stream()
        .filter(a -> a.getName().equals("nodes_missing_value_tracks_true")).findFirst().orElseThrow();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < modes.getStringsCount(); i++) {
      if (!modes.getStrings(i).toStringUtf8().equals("LEAF")) {
        seen.add(missing.getInts(i));
      }
    }
    return seen;
  }
}
