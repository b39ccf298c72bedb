package io.edgeloop.deploy.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackIdTest {
  @TempDir Path dataDir;

  @Test
  void shouldCreateOneIdPerDataFolderAndKeepIt() throws Exception {
    StackId first = StackId.resolve(null, dataDir.resolve("new"));
    StackId again = StackId.resolve("", dataDir.resolve("new"));
    StackId other = StackId.resolve(null, dataDir.resolve("other"));

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(Files.readString(dataDir.resolve("new").resolve("stack.id")).trim()).isEqualTo(first.value());
    assertThat(Files.list(dataDir.resolve("new"))).hasSize(1);
  }

  @Test
  void shouldPreferTheLaunchersIdAndRefuseOneThatCannotBeALabel() {
    assertThat(StackId.resolve("stack-a", dataDir).value()).isEqualTo("stack-a");
    assertThat(Files.exists(dataDir.resolve("stack.id"))).isFalse();
    assertThatThrownBy(() -> StackId.resolve("a b", dataDir)).hasMessageContaining("edgeloop.stack-id");
  }
}
