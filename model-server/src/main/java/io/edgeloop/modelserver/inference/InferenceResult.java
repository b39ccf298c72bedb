package io.edgeloop.modelserver.inference;

import io.edgeloop.modelserver.tensor.Tensor;
import java.util.List;

/**
 * The outputs of one inference.
 *
 * @param rows number of rows (batch entries) inferred, for the rows metric
 */
public record InferenceResult(List<Tensor> outputs, long rows) {}
