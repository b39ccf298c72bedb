package io.edgeloop.deploy.trust;

/**
 * One rule an image must pass before it is queued for any target (and so before any target pulls
 * it). Every bean of this type takes part in {@link ImageAdmission}, in {@code @Order}; the first
 * rejection wins. The allow-list of registries and repositories ({@link TrustedSources}) is one;
 * signature verification ({@link ImageSignatures}) another.
 */
@FunctionalInterface
public interface AdmissionCheck {
  /**
   * Checks {@code image}. A rejection is final: the image is recorded as rejected, announced with
   * status {@code rejected} and never run. A check that cannot decide now (its registry does not
   * answer) throws {@link AdmissionUnavailableException} instead: the event is then retried with
   * backoff, nothing is recorded.
   */
  Admission check(ImageCandidate image);
}
