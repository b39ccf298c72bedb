package io.edgeloop.training.tracking;

import java.util.Map;

/**
 * One trial of an AutoML run, kept under its run like a child run: what was tried, how it scored.
 *
 * @param index the trial's number within the run, from 0
 * @param family the model family (e.g. {@code xgboost}, {@code random_forest}, {@code linear})
 * @param params the hyperparameters tried
 * @param metrics the trial's validation metrics; empty when it failed
 * @param score the primary metric, which the search ranks trials by; null when it failed
 * @param millis how long the trial took
 * @param error why the trial failed; null when it did not
 */
public record Trial(int index, String family, Map<String, Object> params, Map<String, Double> metrics, Double score,
    long millis, String error) {}
