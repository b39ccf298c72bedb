package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgeloop.modelserver.inference.BatchedRuns;
import io.edgeloop.modelserver.inference.InferenceRequest;
import io.edgeloop.modelserver.inference.ModelPackageLoader;
import io.edgeloop.modelserver.inference.ServedModel;
import io.edgeloop.modelserver.inference.ServedModel.Prepared;
import io.edgeloop.modelserver.tensor.DataType;
import io.edgeloop.modelserver.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching: requests run together get exactly what each would get alone. */
class BatchedRunsTest {

  @TempDir
  Path dir;

  static Prepared features(ServedModel model, float[][] rows, String... wanted) {
    int f = rows[0].length;
    float[] flat = new float[rows.length * f];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * f, f);
    }
    Tensor t = new Tensor("features", DataType.FP32, new long[] {rows.length, f}, flat);
    return model.prepare(new InferenceRequest(null, Map.of("features", t), List.of(wanted)));
  }

  static float[][] randomRows(Random random, int n) {
    float[][] rows = new float[n][ModelPackageMother.WEIGHTS.length];
    for (float[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        row[i] = random.nextFloat() * 20 - 10;
      }
    }
    return rows;
  }

  static float predict(float[] row) {
    float y = ModelPackageMother.BIAS;
    for (int i = 0; i < row.length; i++) {
      y += row[i] * ModelPackageMother.WEIGHTS[i];
    }
    return y;
  }

  @Test
  void shouldGiveEachStackedRequestItsOwnRows() throws Exception {
    try (ServedModel model = ModelPackageLoader.load(ModelPackageMother.linear(dir), 1)) {
      Random random = new Random(7);
      List<float[][]> inputs = new ArrayList<>();
      List<Prepared> requests = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        float[][] rows = randomRows(random, 1 + i % 3);
        inputs.add(rows);
        requests.add(features(model, rows));
      }
      List<BatchedRuns.Outcome> outcomes = model.run(requests, 256);
      assertThat(outcomes).hasSize(12);
      for (int i = 0; i < 12; i++) {
        BatchedRuns.Outcome o = outcomes.get(i);
        assertThat(o.failure()).isNull();
        Tensor out = o.result().outputs().get(0);
        float[][] rows = inputs.get(i);
        assertThat(out.shape()).containsExactly(rows.length, 1);
        assertThat(o.result().rows()).isEqualTo(rows.length);
        for (int r = 0; r < rows.length; r++) {
          assertThat(((float[]) out.data())[r]).as("request %d row %d", i, r).isCloseTo(predict(rows[r]), within(1e-4f));
        }
      }
    }
  }

  @Test
  void shouldKeepEachRequestsChoiceOfOutputsAndTheRowLimit() throws Exception {
    try (ServedModel model = ModelPackageLoader.load(ModelPackageMother.linearWithEcho(dir), 1)) {
      Random random = new Random(11);
      float[][] a = randomRows(random, 3);
      float[][] b = randomRows(random, 1);
      float[][] c = randomRows(random, 2);
      List<Prepared> requests = List.of(features(model, a, "variable"), features(model, b, "echo", "variable"),
          features(model, c, "variable"), features(model, b, "echo"));
      // At most 4 rows per call: a (3) and c (2) cannot share one.
      List<BatchedRuns.Outcome> outcomes = model.run(requests, 4);
      assertThat(outcomes.get(0).result().outputs()).extracting(Tensor::name).containsExactly("variable");
      assertThat(outcomes.get(1).result().outputs()).extracting(Tensor::name).containsExactly("echo", "variable");
      assertThat(outcomes.get(3).result().outputs()).extracting(Tensor::name).containsExactly("echo");
      assertThat((float[]) outcomes.get(1).result().outputs().get(0).data()).containsExactly(b[0]);
      assertThat((float[]) outcomes.get(3).result().outputs().get(0).data()).containsExactly(b[0]);
      assertThat(((float[]) outcomes.get(2).result().outputs().get(0).data())[1]).isCloseTo(predict(c[1]), within(1e-4f));
      assertThat(((float[]) outcomes.get(0).result().outputs().get(0).data())[2]).isCloseTo(predict(a[2]), within(1e-4f));
    }
  }

  @Test
  void shouldStackEveryDatatype() throws Exception {
    try (ServedModel model = ModelPackageLoader.load(ModelPackageMother.typed(dir), 1)) {
      List<Prepared> requests = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int n = i + 1;
        double[] fp64 = new double[n * 2];
        long[] int64 = new long[n];
        int[] int32 = new int[n];
        boolean[] bool = new boolean[n];
        String[] bytes = new String[n];
        for (int r = 0; r < n; r++) {
          fp64[2 * r] = i + r / 10.0;
          fp64[2 * r + 1] = -i;
          int64[r] = 1_000_000_000_000L * i + r;
          int32[r] = i * 100 + r;
          bool[r] = (i + r) % 2 == 0;
          bytes[r] = "req" + i + "-row" + r;
        }
        requests.add(model.prepare(new InferenceRequest(null, Map.of(
            "x_fp64", new Tensor("x_fp64", DataType.FP64, new long[] {n, 2}, fp64),
            "x_int64", new Tensor("x_int64", DataType.INT64, new long[] {n}, int64),
            "x_int32", new Tensor("x_int32", DataType.INT32, new long[] {n}, int32),
            "x_bool", new Tensor("x_bool", DataType.BOOL, new long[] {n}, bool),
            "x_bytes", new Tensor("x_bytes", DataType.BYTES, new long[] {n}, bytes)), List.of())));
      }
      List<BatchedRuns.Outcome> outcomes = model.run(requests, 256);
      for (int i = 0; i < 3; i++) {
        Map<String, Tensor> given = new java.util.HashMap<>();
        requests.get(i).feeds().forEach(t -> given.put(t.name(), t));
        for (Tensor out : outcomes.get(i).result().outputs()) {
          Tensor in = given.get("x_" + out.name().substring(2));
          assertThat(out.shape()).containsExactly(in.shape());
          assertThat(out.data()).as("request %d %s", i, out.name()).isEqualTo(in.data());
        }
      }
    }
  }

  @Test
  void shouldRunRequestsAloneForAGraphThatIsNotRowWise() throws Exception {
    try (ServedModel model = ModelPackageLoader.load(ModelPackageMother.columnSums(dir), 1)) {
      float[][] a = {{1, 2, 3, 4}, {10, 20, 30, 40}};
      float[][] b = {{1, 1, 1, 1}, {2, 2, 2, 2}, {3, 3, 3, 3}};
      for (int round = 0; round < 2; round++) { // the second round runs after the graph was found out
        List<BatchedRuns.Outcome> outcomes = model.run(List.of(features(model, a), features(model, b)), 256);
        assertThat((float[]) outcomes.get(0).result().outputs().get(0).data()).containsExactly(11, 22, 33, 44);
        assertThat((float[]) outcomes.get(1).result().outputs().get(0).data()).containsExactly(6, 6, 6, 6);
        assertThat(outcomes.get(1).result().outputs().get(0).shape()).containsExactly(1, 4);
      }
    }
  }
}
