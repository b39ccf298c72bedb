package io.edgeloop.training.trainer;

import io.edgeloop.training.run.RunFailure;
import java.io.IOException;

/** A way to train: the built-in AutoML ({@code automl}) or the user's script ({@code script}). */
public interface Trainer {
  /** The {@code TrainingSpec.kind} this trainer handles. */
  String kind();

  /** Checks the spec and stages the inputs (phase {@code preparing}); the returned run executes later. */
  PreparedRun prepare(TrainerContext context) throws RunFailure, IOException;

  /** A run ready to execute, with what makes it reproducible. */
  interface PreparedRun {
    /** Hash of the code that will run (the project snapshot; the trainer's own version for AutoML). */
    String codeHash();

    /** Executes (phase {@code running}) and collects the model (phase {@code exporting}). */
    TrainerResult execute() throws RunFailure, InterruptedException;
  }
}
