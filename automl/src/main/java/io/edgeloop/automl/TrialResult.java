package io.edgeloop.automl;

import java.util.Map;

/**
 * One trial of the search.
 *
 * @param index trial number, from 0; its parameters depend only on the seed and this number
 * @param family model family
 * @param params hyperparameters drawn for it
 * @param metrics validation metrics (mean over folds); empty when it failed
 * @param score the primary metric
 * @param millis wall time of the trial
 * @param error why it failed, or null
 */
public record TrialResult(
    int index, String family, Map<String, Object> params, Map<String, Double> metrics, double score,
    long millis, String error) {

  public boolean failed() {
    return error != null;
  }
}
