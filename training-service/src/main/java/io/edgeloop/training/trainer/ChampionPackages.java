package io.edgeloop.training.trainer;

import io.edgeloop.modelpackage.ModelManifest;
import java.io.IOException;
import java.util.Optional;

/** The current champion's model package of a model, for scoring it on a new run's holdout. */
@FunctionalInterface
public interface ChampionPackages {
  Optional<ChampionPackage> champion(String modelName) throws IOException;

  record ChampionPackage(int version, ModelManifest manifest, byte[] onnx) {}
}
