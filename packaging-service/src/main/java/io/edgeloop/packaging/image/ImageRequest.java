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
 * @param environment environment variables of this image on top of the server's (e.g. the served version)
 */
public record ImageRequest(String target, Path packageDir, Map<String, String> labels, Map<String, String> environment) {
  public ImageRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(packageDir, "packageDir");
    labels = Map.copyOf(labels);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }
}
