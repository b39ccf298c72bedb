package io.edgeloop.modelpackage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Raw input rows recorded at training time (in order, with group key and order column) and the
 * model's outputs for them, fed through {@link FeaturePipeline} one row at a time from a fresh
 * state: for regression {@code [prediction]}, for classification the class probabilities.
 * Packaging and deploy smoke tests replay them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Samples(List<Map<String, Double>> rows, List<List<Double>> expected) {
  public Samples {
    rows = rows == null ? List.of() : List.copyOf(rows);
    expected = expected == null ? List.of() : List.copyOf(expected);
  }
}
