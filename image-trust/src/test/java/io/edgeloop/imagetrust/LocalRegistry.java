package io.edgeloop.imagetrust;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.imagetrust.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The local registry at 127.0.0.1:5000 (started by .ci/infra.sh), and small real images pushed to it. */
final class LocalRegistry {
  static final String REGISTRY = "127.0.0.1:5000";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRegistry() {}

  static void assumeRunning() {
    boolean up;
    try {
      up = RegistryClient.anonymous().manifest(REGISTRY, "edgeloop-probe/none", "x").isEmpty();
    } catch (Exception e) {
      up = false;
    }
    assumeTrue(up, "no OCI registry at " + REGISTRY + ": skipped");
  }

  /** A repository name of this test's own. */
  static String repository(String name) {
    return "it-trust-" + UUID.randomUUID().toString().substring(0, 8) + "/" + name;
  }

  /** Pushes a one-layer OCI image whose layer holds {@code content}; returns {@code registry/repository:tag@digest}. */
  static String pushImage(RegistryClient client, String repository, String tag, String content) throws Exception {
    byte[] layer = content.getBytes(StandardCharsets.UTF_8);
    String layerDigest = client.putBlob(REGISTRY, repository, layer);
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layerDigest);
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configDigest = client.putBlob(REGISTRY, repository, configBytes);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", CosignSignatures.OCI_MANIFEST);
    manifest.putObject("config").put("mediaType", CosignSignatures.OCI_CONFIG).put("size", configBytes.length)
        .put("digest", configDigest);
    manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
        .put("size", layer.length).put("digest", layerDigest);
    String digest = client.putManifest(REGISTRY, repository, tag, CosignSignatures.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
    return REGISTRY + "/" + repository + ":" + tag + "@" + digest;
  }
}
