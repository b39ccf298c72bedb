package io.edgeloop.automl;

import io.edgeloop.modelpackage.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run produced.
 *
 * @param manifest the package manifest as written
 * @param packageDir directory holding {@code model.onnx} and {@code edgeloop-model.json}
 * @param trials every finished trial, in order
 * @param best the trial whose parameters were retrained on all data
 * @param parityMaxAbsDiff largest |ONNX Runtime - trained model| over the validation rows
 */
public record AutoMlResult(
    ModelManifest manifest, Path packageDir, List<TrialResult> trials, TrialResult best, double parityMaxAbsDiff) {}
