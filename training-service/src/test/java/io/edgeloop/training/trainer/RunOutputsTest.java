package io.edgeloop.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.training.run.RunFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputsTest {
  @TempDir Path workspace;
  Path outputs;
  Path real;

  @BeforeEach
  void outputs() throws Exception {
    outputs = Files.createDirectories(workspace.resolve("outputs"));
    real = outputs.toRealPath();
  }

  @Test
  void shouldKeepPlainFilesAndFolders() throws Exception {
    Files.write(outputs.resolve("model.onnx"), new byte[100]);
    Files.createDirectories(outputs.resolve("plots"));
    Files.write(outputs.resolve("plots/loss.png"), new byte[100]);

    assertThatCode(() -> RunOutputs.check(outputs, real, 200)).doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseASymbolicLinkToAFile() throws Exception {
    Files.createSymbolicLink(outputs.resolve("x"), Path.of("/proc/self/environ"));

    RunFailure failure = catchThrowableOfType(RunFailure.class, () -> RunOutputs.check(outputs, real, 1_000_000));

    assertThat(failure.reason()).isEqualTo(RunFailureReason.UNSAFE_OUTPUT);
    assertThat(failure.phase()).isEqualTo(RunPhase.EXPORTING);
    assertThat(failure.getMessage()).contains("outputs/x is a symbolic link");
  }

  @Test
  void shouldRefuseASymbolicLinkToAFolderDeepInside() throws Exception {
    Files.createDirectories(outputs.resolve("a/b"));
    Files.createSymbolicLink(outputs.resolve("a/b/etc"), Path.of("/etc"));

    assertThat(catchThrowableOfType(RunFailure.class, () -> RunOutputs.check(outputs, real, 1_000_000)).getMessage())
        .contains("outputs/a/b/etc is a symbolic link");
  }

  @Test
  void shouldRefuseOutputsReplacedByALink() throws Exception {
    Files.delete(outputs);
    Files.createSymbolicLink(outputs, Path.of("/etc"));

    assertThat(catchThrowableOfType(RunFailure.class, () -> RunOutputs.check(outputs, real, 1_000_000)).reason())
        .isEqualTo(RunFailureReason.UNSAFE_OUTPUT);
  }

  @Test
  void shouldRefuseAWorkspaceReplacedByALink(@TempDir Path elsewhere) throws Exception {
    Files.createDirectories(elsewhere.resolve("outputs"));
    Path moved = workspace.resolveSibling(workspace.getFileName() + "-moved");
    Files.move(workspace, moved);
    Files.createSymbolicLink(workspace, elsewhere);
    try {
      assertThat(catchThrowableOfType(RunFailure.class, () -> RunOutputs.check(outputs, real, 1_000_000)).reason())
          .isEqualTo(RunFailureReason.UNSAFE_OUTPUT);
    } finally {
      Files.delete(workspace);
      Files.move(moved, workspace);
    }
  }

  @Test
  void shouldRefuseOutputsOverTheLimit() throws Exception {
    Files.write(outputs.resolve("a.bin"), new byte[150]);
    Files.write(outputs.resolve("b.bin"), new byte[150]);

    RunFailure failure = catchThrowableOfType(RunFailure.class, () -> RunOutputs.check(outputs, real, 200));

    assertThat(failure.reason()).isEqualTo(RunFailureReason.OUTPUT_TOO_LARGE);
    assertThat(failure.getMessage()).contains("200 bytes");
  }
}
