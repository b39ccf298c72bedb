package io.edgeloop.imagetrust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where signatures live, as cosign stores them: in the image's own repository, under the tag
 * {@code sha256-<hex>.sig}, an OCI image manifest whose layers are payloads of media type
 * {@value SimpleSigningPayload#MEDIA_TYPE}, each with its base64 signature in the layer annotation
 * {@value #SIGNATURE_ANNOTATION}. Several signatures of one image are several layers.
 */
public final class CosignSignatures {
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  /** Payloads are a few hundred bytes; a layer much larger is not a signature. */
  static final long MAX_PAYLOAD_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient registry;

  public CosignSignatures(RegistryClient registry) {
    this.registry = registry;
  }

  /**
   * One stored signature.
   *
   * @param payload the signed bytes (checked against the layer's digest)
   * @param signature the base64 signature from the annotation, or null when the layer has none
   */
  public record Entry(byte[] payload, String signature) {}

  /** {@code sha256-<hex>.sig} for {@code digest}. */
  public static String tag(String digest) {
    return digest.replace(':', '-') + ".sig";
  }

  /** The signatures stored for {@code image} (which must carry its digest); empty when there are none. */
  public List<Entry> read(ImageReference image) throws RegistryException, InterruptedException {
    Optional<RegistryClient.Manifest> manifest =
        registry.manifest(image.registry(), image.repository(), tag(requireDigest(image)));
    if (manifest.isEmpty()) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode layer : manifest.get().json().path("layers")) {
      if (!SimpleSigningPayload.MEDIA_TYPE.equals(layer.path("mediaType").asText())) {
        continue;
      }
      Optional<byte[]> payload =
          registry.blob(image.registry(), image.repository(), layer.path("digest").asText(), MAX_PAYLOAD_BYTES);
      if (payload.isPresent()) {
        JsonNode signature = layer.path("annotations").path(SIGNATURE_ANNOTATION);
        entries.add(new Entry(payload.get(), signature.isTextual() ? signature.asText() : null));
      }
    }
    return entries;
  }

  /**
   * Adds a signature to those stored for {@code image}: uploads the payload, then writes the
   * {@code .sig} manifest with the layers it had plus the new one.
   */
  public void add(ImageReference image, byte[] payload, String signature) throws RegistryException, InterruptedException {
    String tag = tag(requireDigest(image));
    ArrayNode layers = JSON.createArrayNode();
    Optional<RegistryClient.Manifest> existing = registry.manifest(image.registry(), image.repository(), tag);
    if (existing.isPresent()) {
      existing.get().json().path("layers").forEach(layers::add);
    }
    String payloadDigest = registry.putBlob(image.registry(), image.repository(), payload);
    ObjectNode layer = layers.addObject();
    layer.put("mediaType", SimpleSigningPayload.MEDIA_TYPE);
    layer.put("size", payload.length);
    layer.put("digest", payloadDigest);
    layer.putObject("annotations").put(SIGNATURE_ANNOTATION, signature);

    // A valid (if empty) image config, as cosign writes: the payloads are its layers.
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.put("os", "");
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.path("digest").asText()));
    byte[] configBytes = bytes(config);
    String configDigest = registry.putBlob(image.registry(), image.repository(), configBytes);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    ObjectNode configDescriptor = manifest.putObject("config");
    configDescriptor.put("mediaType", OCI_CONFIG);
    configDescriptor.put("size", configBytes.length);
    configDescriptor.put("digest", configDigest);
    manifest.set("layers", layers);
    registry.putManifest(image.registry(), image.repository(), tag, OCI_MANIFEST, bytes(manifest));
  }

  private static String requireDigest(ImageReference image) {
    return image.optionalDigest().orElseThrow(() -> new IllegalArgumentException(image + " is not pinned by a digest"));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e);
    }
  }
}
