package io.edgeloop.deploy.trust;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission step: every image passes it before it is queued for a target, whether it arrives
 * with an ImagePushed, becomes the champion through a ModelPromoted, or is asked for by a manual
 * rollback. It runs the allow-list first, then every other {@link AdmissionCheck} bean (signature
 * verification, {@link ImageSignatures}); an image that fails any of them never runs.
 */
public class ImageAdmission {
  private static final Logger log = LoggerFactory.getLogger(ImageAdmission.class);
  private final List<AdmissionCheck> checks;

  public ImageAdmission(List<AdmissionCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  public Admission admit(ImageCandidate image) {
    for (AdmissionCheck check : checks) {
      Admission admission = check.check(image);
      if (!admission.admitted()) {
        log.warn("rejected {} v{} ({}@{}): {}", image.modelName(), image.modelVersion(), image.imageReference(),
            image.digest(), admission.reason());
        return admission;
      }
    }
    return Admission.admit();
  }
}
