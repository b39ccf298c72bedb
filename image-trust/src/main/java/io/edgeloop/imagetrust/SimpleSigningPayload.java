package io.edgeloop.imagetrust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What is signed: the cosign "simple signing" payload that binds a repository to a manifest digest,
 * <pre>{"critical":{"identity":{"docker-reference":"&lt;registry/repository&gt;"},
 *  "image":{"docker-manifest-digest":"sha256:..."},"type":"cosign container image signature"},"optional":null}</pre>
 * (cosign's {@code specs/SIGNATURE_SPEC.md}, containers/image's {@code containers-signature(5)}).
 * The signature covers these exact bytes, so they are written once, compactly, in this order.
 *
 * @param dockerReference {@code registry/repository} of the image
 * @param manifestDigest the image's manifest digest, {@code sha256:...}
 */
public record SimpleSigningPayload(String dockerReference, String manifestDigest) {
  /** The payload's media type, also the signature layer's. */
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  /** {@code critical.type} of cosign image signatures. */
  public static final String TYPE = "cosign container image signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  public SimpleSigningPayload {
    Objects.requireNonNull(dockerReference, "dockerReference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
  }

  /** The payload of {@code image}, which must carry its digest. */
  public static SimpleSigningPayload of(ImageReference image) {
    return new SimpleSigningPayload(image.repositoryReference(),
        image.optionalDigest().orElseThrow(() -> new IllegalArgumentException(image + " is not pinned by a digest")));
  }

  /** The bytes that are signed and stored. */
  public byte[] bytes() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest);
    critical.put("type", TYPE);
    root.putNull("optional");
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e);
    }
  }

  /**
   * Reads a payload (after its signature was checked).
   *
   * @throws IllegalArgumentException when it is not a cosign image signature payload
   */
  public static SimpleSigningPayload parse(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("the signed payload is not JSON: " + e.getMessage(), e);
    }
    JsonNode critical = root == null ? null : root.path("critical");
    if (critical == null || !TYPE.equals(critical.path("type").asText())) {
      throw new IllegalArgumentException("the signed payload is not a '" + TYPE + "': "
          + new String(bytes, StandardCharsets.UTF_8));
    }
    // containers/image spells the key "docker-manifest-digest"; cosign's spec example capitalises it.
    JsonNode image = critical.path("image");
    JsonNode digest = image.has("docker-manifest-digest") ? image.get("docker-manifest-digest") : image.path("Docker-manifest-digest");
    return new SimpleSigningPayload(critical.path("identity").path("docker-reference").asText(), digest.asText());
  }
}
