package io.edgeloop.training.compute;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerSandboxTest {
  @Test
  void shouldRefuseRootAndNamesAsTheContainersUser() {
    for (String user : new String[] {"0", "0:0", "root", "00:1000", "nobody", ""}) {
      assertThatThrownBy(() -> new ContainerSandbox(user, 1, 1, 1, "none", 1)).as(user)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uid");
    }
    assertThatCode(() -> new ContainerSandbox("1000:1000", 1, 1, 1, "none", 1)).doesNotThrowAnyException();
    assertThatCode(() -> new ContainerSandbox(null, 1, 1, 1, "none", 1)).doesNotThrowAnyException();
  }
}
