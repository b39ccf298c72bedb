package io.edgeloop.deploy.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedSourcesTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private final TrustedSources defaults = new TrustedSources(new TrustProperties(null, null, null, null, null, null, null));

  private static ImageCandidate image(String reference, String digest) {
    return new ImageCandidate("m", 3, reference, digest);
  }

  @Test
  void shouldAdmitThePackagingRegistrysImagesByDigest() {
    assertThat(defaults.check(image("127.0.0.1:5000/edgeloop/m:3", DIGEST)).admitted()).isTrue();
    assertThat(defaults.check(image("127.0.0.1:5000/edgeloop/m@" + DIGEST, DIGEST)).admitted()).isTrue();
  }

  @Test
  void shouldRejectAnotherRegistryWithAReasonThatNamesIt() {
    Admission admission = defaults.check(image("evil.example:5000/edgeloop/m:1000", DIGEST));

    assertThat(admission.admitted()).isFalse();
    assertThat(admission.reason()).contains("registry evil.example:5000 is not trusted").contains("127.0.0.1:5000");
  }

  @Test
  void shouldRejectDockerHubAndOtherRepositories() {
    assertThat(defaults.check(image("edgeloop/m:3", DIGEST)).reason()).contains("registry docker.io");
    assertThat(defaults.check(image("127.0.0.1:5000/other/m:3", DIGEST)).reason()).contains("repository other/m is not trusted");
  }

  @Test
  void shouldRunOnlyByAValidDigestThatTheReferenceAgreesWith() {
    assertThat(defaults.check(image("127.0.0.1:5000/edgeloop/m:3", "latest")).reason()).contains("not pinned by a sha256 digest");
    assertThat(defaults.check(image("127.0.0.1:5000/edgeloop/m@sha256:" + "cd".repeat(32), DIGEST)).reason())
        .contains("the reference pins");
    assertThat(defaults.check(image("127.0.0.1:5000/edgeloop/m 3", DIGEST)).reason()).contains("not an image reference");
    assertThat(defaults.check(new ImageCandidate("m", 0, "127.0.0.1:5000/edgeloop/m:0", DIGEST)).reason()).contains("version");
  }

  @Test
  void shouldTakeConfiguredRegistriesAndRepositoryGlobs() {
    TrustedSources custom = new TrustedSources(new TrustProperties(List.of("Registry.Example:443"), List.of("models/*", "team-?/x"), null, null, null, null, null));

    assertThat(custom.check(image("registry.example:443/models/a/b:1", DIGEST)).admitted()).isTrue();
    assertThat(custom.check(image("registry.example:443/team-a/x:1", DIGEST)).admitted()).isTrue();
    assertThat(custom.check(image("registry.example:443/team-ab/x:1", DIGEST)).admitted()).isFalse();
    assertThat(custom.check(image("127.0.0.1:5000/edgeloop/m:3", DIGEST)).admitted()).isFalse();
  }

  @Test
  void shouldStopAtTheFirstRejectionOfTheAdmissionStep() {
    List<String> asked = new java.util.ArrayList<>();
    ImageAdmission admission = new ImageAdmission(List.of(defaults, candidate -> {
      asked.add(candidate.imageReference());
      return Admission.rejected("unsigned");
    }));

    assertThat(admission.admit(image("evil.example/edgeloop/m:1", DIGEST)).reason()).contains("not trusted");
    assertThat(asked).isEmpty();
    assertThat(admission.admit(image("127.0.0.1:5000/edgeloop/m:1", DIGEST)).reason()).isEqualTo("unsigned");
  }
}
