package io.edgeloop.deploy.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageRefTest {
  @Test
  void shouldSplitRegistryRepositoryTagAndDigestAsAnEngineDoes() {
    assertThat(ImageRef.parse("127.0.0.1:5000/edgeloop/m:3")).isEqualTo(new ImageRef("127.0.0.1:5000", "edgeloop/m", "3", null));
    assertThat(ImageRef.parse("localhost/a/b@sha256:00")).isEqualTo(new ImageRef("localhost", "a/b", null, "sha256:00"));
    assertThat(ImageRef.parse("Reg.Example/a:1@sha256:00")).isEqualTo(new ImageRef("reg.example", "a", "1", "sha256:00"));
    assertThat(ImageRef.parse("ubuntu:22.04")).isEqualTo(new ImageRef("docker.io", "ubuntu", "22.04", null));
    assertThat(ImageRef.parse("edgeloop/m")).isEqualTo(new ImageRef("docker.io", "edgeloop/m", null, null));
  }

  @Test
  void shouldRefuseWhatIsNoReference() {
    for (String bad : new String[] {"", " ", "a b", "reg.example/", "reg.example:5000/a:"}) {
      assertThatThrownBy(() -> ImageRef.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
