package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** A model's serving image is in a registry, smoke-tested; {@code imageReference} includes the tag, {@code digest} pins it. */
public record ImagePushed(
    String modelName,
    int modelVersion,
    String imageReference,
    String digest,
    long sizeBytes,
    Map<String, String> labels,
    Instant pushedAt)
    implements EdgeloopEvent {

  public ImagePushed {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(imageReference, "imageReference");
    Objects.requireNonNull(digest, "digest");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    Objects.requireNonNull(pushedAt, "pushedAt");
  }

  @Override
  public String partitionKey() {
    return modelName;
  }
}
