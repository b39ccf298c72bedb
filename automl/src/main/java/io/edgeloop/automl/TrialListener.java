package io.edgeloop.automl;

/**
 * Hears about each finished trial, in trial order, so the caller can record it (the training
 * service writes each as a child run with params and metrics). Called from the AutoMl thread.
 */
@FunctionalInterface
public interface TrialListener {

  void trialFinished(TrialResult trial);

  /** A listener that ignores trials. */
  static TrialListener none() {
    return t -> { };
  }
}
