package io.edgeloop.packaging.image;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What to build: the serving image of one model package.
 *
 * @param target the image reference to push, {@code <registry>/<repository>:<tag>}
 * @param packageDir the model package directory ({@code model.onnx} + {@code edgeloop-model.json})
 * @param labels image labels
 */
public record ImageRequest(String target, Path packageDir, Map<String, String> labels) {
  public ImageRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(packageDir, "packageDir");
    labels = Map.copyOf(labels);
  }
}
