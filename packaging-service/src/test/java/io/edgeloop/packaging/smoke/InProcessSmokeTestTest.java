package io.edgeloop.packaging.smoke;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.Samples;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.image.BuiltImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process smoke test runs the real model server (ONNX Runtime) on the package and compares its answers with the recorded samples. */
class InProcessSmokeTestTest {
  @TempDir Path dir;
  final BuiltImage image = new BuiltImage("127.0.0.1:5000/edgeloop/toy:1", "sha256:" + "0".repeat(64), 1, 1, 1, 1);
  final InProcessSmokeTest smoke = new InProcessSmokeTest(Duration.ofSeconds(30), 1e-4);

  @Test
  void shouldPassWhenTheServerReproducesTheRecordedSamples() throws Exception {
    ModelManifest manifest = ModelPackageMother.linear(dir, "toy", 1, 2f, -0.5f, 1f);

    assertThatCode(() -> smoke.check(image, dir, manifest, "1")).doesNotThrowAnyException();
  }

  @Test
  void shouldFailWhenAPredictionIsOutsideTheTolerance() throws Exception {
    ModelManifest manifest = ModelPackageMother.linear(dir, "toy", 1, 2f, -0.5f, 1f);
    List<List<Double>> shifted = manifest.samples().expected().stream().map(e -> List.of(e.get(0) + 0.01)).toList();
    ModelManifest wrong = new ModelManifest(manifest.name(), manifest.version(), manifest.task(), manifest.classLabels(),
        manifest.onnxSha256(), manifest.signature(), manifest.preprocessing(), manifest.metrics(),
        manifest.primaryMetric(), manifest.provenance(), new Samples(manifest.samples().rows(), shifted));
    ModelPackages.write(dir, wrong, Files.readAllBytes(dir.resolve(ModelPackages.ONNX_FILE)));

    assertThatThrownBy(() -> smoke.check(image, dir, wrong, "1"))
        .isInstanceOf(SmokeTestException.class)
        .hasMessageStartingWith("sample row 0 output 'variable'[0]: expected");
  }

  @Test
  void shouldFailWhenTheModelCannotBeLoaded() throws Exception {
    ModelManifest manifest = ModelPackageMother.corrupt(dir, "broken", 1);

    assertThatThrownBy(() -> smoke.check(image, dir, manifest, "1"))
        .isInstanceOf(SmokeTestException.class)
        .hasMessageStartingWith("the model server cannot load the package");
  }
}
