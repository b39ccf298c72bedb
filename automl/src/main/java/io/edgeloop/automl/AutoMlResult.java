package io.edgeloop.automl;

import io.edgeloop.modelpackage.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run produced.
 *
 * @param manifest the package manifest as written
 * @param packageDir directory holding {@code model.onnx} and {@code edgeloop-model.json}
 * @param trials every finished trial, in order (a refit: the one configuration it validated)
 * @param best the best trial (the packaged model is it, or an average led by it)
 * @param parityMaxAbsDiff largest |ONNX Runtime - trained model| over the validation rows
 * @param cutByTime whether the optional wall-clock cap stopped the search before its trial budget:
 *     only then may the same spec and data give another model on a faster or slower machine
 */
public record AutoMlResult(
    ModelManifest manifest, Path packageDir, List<TrialResult> trials, TrialResult best, double parityMaxAbsDiff,
    boolean cutByTime) {}
