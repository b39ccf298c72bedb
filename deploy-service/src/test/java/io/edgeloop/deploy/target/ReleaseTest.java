package io.edgeloop.deploy.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void shouldPinTheImageByDigestWhateverTheReferenceCarries() {
    assertThat(new Release("m", 1, "127.0.0.1:5000/edgeloop/m:3", DIGEST).pinnedImage())
        .isEqualTo("127.0.0.1:5000/edgeloop/m@" + DIGEST);
    assertThat(new Release("m", 1, "registry/m@sha256:" + "cd".repeat(32), DIGEST).pinnedImage())
        .isEqualTo("registry/m@" + DIGEST);
    assertThat(new Release("m", 1, "localhost:5000/m", DIGEST).pinnedImage()).isEqualTo("localhost:5000/m@" + DIGEST);
  }

  @Test
  void shouldRejectADigestThatIsNotSha256() {
    assertThatThrownBy(() -> new Release("m", 1, "r/m:1", "latest")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRedactSecretsInTheConnectionShownByTheApi() {
    TargetSpec spec = new TargetSpec("hub", "iotedge", Map.of(),
        Map.of("connection-string", "HostName=x;SharedAccessKey=s", "registry-password", "p", "device-id", "dev-1"));

    assertThat(spec.redactedConnection())
        .containsEntry("connection-string", "***").containsEntry("registry-password", "***").containsEntry("device-id", "dev-1");
  }

  @Test
  void shouldRejectTargetNamesThatCannotBeContainerNames() {
    assertThatThrownBy(() -> new TargetSpec("Bad Name", "docker", null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
