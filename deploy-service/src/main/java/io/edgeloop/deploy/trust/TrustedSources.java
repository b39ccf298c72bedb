package io.edgeloop.deploy.trust;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The allow-list: an image runs only by digest, from a configured registry and repository. The
 * digest must be a sha256 digest, and a reference that pins a digest itself must pin the same one.
 */
public class TrustedSources implements AdmissionCheck {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private final TrustProperties trust;
  private final List<Pattern> repositories;

  public TrustedSources(TrustProperties trust) {
    this.trust = trust;
    this.repositories = trust.repositories().stream().map(Glob::compile).toList();
  }

  @Override
  public Admission check(ImageCandidate image) {
    if (image.modelVersion() < 1) {
      return Admission.rejected("model version must be 1 or more, got " + image.modelVersion());
    }
    if (!DIGEST.matcher(image.digest()).matches()) {
      return Admission.rejected("not pinned by a sha256 digest (got '" + abbreviate(image.digest()) + "'): images run only by digest");
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(image.imageReference());
    } catch (IllegalArgumentException e) {
      return Admission.rejected(e.getMessage());
    }
    if (ref.digest() != null && !ref.digest().equals(image.digest())) {
      return Admission.rejected("the reference pins " + abbreviate(ref.digest()) + " but the event names " + image.digest());
    }
    if (!trust.registries().contains(ref.registry())) {
      return Admission.rejected("registry " + ref.registry() + " is not trusted (edgeloop.deploy.trust.registries: "
          + trust.registries() + ")");
    }
    if (repositories.stream().noneMatch(p -> p.matcher(ref.repository()).matches())) {
      return Admission.rejected("repository " + ref.repository() + " is not trusted (edgeloop.deploy.trust.repositories: "
          + trust.repositories() + ")");
    }
    return Admission.admit();
  }

  private static String abbreviate(String value) {
    return value.length() > 80 ? value.substring(0, 77) + "..." : value;
  }
}
