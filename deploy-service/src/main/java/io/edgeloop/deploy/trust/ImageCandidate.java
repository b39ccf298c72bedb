package io.edgeloop.deploy.trust;

import io.edgeloop.contracts.ImagePushed;
import java.util.Objects;

/**
 * An image as an event announced it, before anything about it is believed: what the admission step
 * looks at.
 *
 * @param imageReference the reference as announced (with tag, maybe with a digest)
 * @param digest the digest the event says pins it
 */
public record ImageCandidate(String modelName, int modelVersion, String imageReference, String digest) {
  public ImageCandidate {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(imageReference, "imageReference");
    Objects.requireNonNull(digest, "digest");
  }

  public static ImageCandidate of(ImagePushed image) {
    return new ImageCandidate(image.modelName(), image.modelVersion(), image.imageReference(), image.digest());
  }
}
