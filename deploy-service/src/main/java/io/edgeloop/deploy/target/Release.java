package io.edgeloop.deploy.target;

import java.util.Objects;

/**
 * One model version's serving image, pinned by digest.
 *
 * @param imageReference the reference as pushed (with tag), e.g. {@code 127.0.0.1:5000/edgeloop/m:3}
 * @param digest {@code sha256:...}
 */
public record Release(String modelName, int modelVersion, String imageReference, String digest) {
  public Release {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(imageReference, "imageReference");
    Objects.requireNonNull(digest, "digest");
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>, got '" + digest + "'");
    }
  }

  /** The repository without tag or digest: {@code 127.0.0.1:5000/edgeloop/m}. */
  public String repository() {
    String ref = imageReference;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    return colon > slash ? ref.substring(0, colon) : ref;
  }

  /** The image pinned by digest, so every target runs exactly the bytes that were tested. */
  public String pinnedImage() {
    return repository() + "@" + digest;
  }
}
