package io.edgeloop.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's serving image is in a registry, smoke-tested; {@code imageReference} includes the tag,
 * {@code digest} pins it. {@code promoted} and {@code aliases} are the registry's view of the
 * version when packaging took it (champion or not); later changes arrive as {@link ModelPromoted}.
 */
public record ImagePushed(
    String modelName,
    int modelVersion,
    String imageReference,
    String digest,
    long sizeBytes,
    Map<String, String> labels,
    boolean promoted,
    List<String> aliases,
    Instant pushedAt)
    implements EdgeloopEvent {

  public ImagePushed {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(imageReference, "imageReference");
    Objects.requireNonNull(digest, "digest");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    Objects.requireNonNull(pushedAt, "pushedAt");
  }

  @Override
  public String partitionKey() {
    return modelName;
  }

  @Override
  public String naturalKey() {
    return modelName + "/v" + modelVersion + "/" + digest;
  }
}
