package io.edgeloop.deploy.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Whether the signature check is in the chain is decided on the bound setting, so no spelling of "on" fails open. */
class TrustConfigurationTest {
  private static final ImageCandidate IMAGE = new ImageCandidate("m", 1, "127.0.0.1:5000/edgeloop/m:1", "sha256:" + "ab".repeat(32));

  @Test
  void shouldCheckSignaturesByDefaultAndForEveryWayOfSayingYes() {
    for (Map<String, String> settings : java.util.List.of(Map.<String, String>of(),
        Map.of("edgeloop.deploy.trust.require-signatures", "yes"), Map.of("edgeloop.deploy.trust.require-signatures", "on"),
        Map.of("edgeloop.deploy.trust.require-signatures", "TRUE"))) {
      AdmissionCheck check = new TrustConfiguration().imageSignatures(bind(settings));

      assertThat(check).as("%s", settings).isInstanceOf(ImageSignatures.class);
      assertThat(check.check(IMAGE).reason()).as("%s", settings).isEqualTo(ImageSignatures.NO_KEY);
    }
  }

  @Test
  void shouldAdmitWithoutASignatureOnlyWhenTurnedOffExplicitly() {
    AdmissionCheck check = new TrustConfiguration().imageSignatures(bind(Map.of("edgeloop.deploy.trust.require-signatures", "false")));

    assertThat(check.check(IMAGE).admitted()).isTrue();
  }

  private static TrustProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("edgeloop.deploy.trust", TrustProperties.class);
  }
}
