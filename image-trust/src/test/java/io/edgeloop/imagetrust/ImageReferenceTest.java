package io.edgeloop.imagetrust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @Test
  void shouldSplitRegistryRepositoryTagAndDigest() {
    ImageReference r = ImageReference.parse("127.0.0.1:5000/edgeloop/turbofan-rul:3@" + DIGEST);
    assertThat(r).isEqualTo(new ImageReference("127.0.0.1:5000", "edgeloop/turbofan-rul", "3", DIGEST));
    assertThat(r.repositoryReference()).isEqualTo("127.0.0.1:5000/edgeloop/turbofan-rul");
    assertThat(r.toString()).isEqualTo("127.0.0.1:5000/edgeloop/turbofan-rul:3@" + DIGEST);
    assertThat(ImageReference.parse("localhost/a").registry()).isEqualTo("localhost");
    assertThat(ImageReference.parse("eclipse-temurin:17-jre"))
        .isEqualTo(new ImageReference("docker.io", "library/eclipse-temurin", "17-jre", null));
    assertThat(ImageReference.parse("myacr.azurecr.io/models/x@" + DIGEST).tag()).isNull();
  }

  @Test
  void shouldRefuseWhatIsNotAReference() {
    assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:5000/Edgeloop/x")).hasMessageContaining("not a repository name");
    assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:5000/x@sha256:abc")).hasMessageContaining("not a sha256 digest");
  }

  @Test
  void shouldKnowLoopbackRegistries() {
    assertThat(ImageReference.isLoopback("127.0.0.1:5000")).isTrue();
    assertThat(ImageReference.isLoopback("localhost")).isTrue();
    assertThat(ImageReference.isLoopback("[::1]:5000")).isTrue();
    assertThat(ImageReference.isLoopback("::1")).isTrue();
    assertThat(ImageReference.isLoopback("registry.example:5000")).isFalse();
    assertThat(ImageReference.isLoopback("127.0.0.1.example.org:5000")).isFalse();
    assertThat(ImageReference.isLoopback("10.0.0.1:5000")).isFalse();
  }
}
