package io.edgeloop.training.trainer;

/**
 * Which way an AutoML run trains, and why; recorded on the run as the tags {@code path} and
 * {@code path.reason} and explained in a log line.
 *
 * @param kind search or refit
 * @param reason a code: {@code first_model}, {@code requested}, {@code champion_not_refittable},
 *     {@code spec_changed}, {@code schedule}, {@code manual}, {@code data_versions} (search);
 *     {@code new_data}, {@code requested} (refit)
 * @param detail the same in a sentence, for the run's log
 */
public record TrainingPath(Kind kind, String reason, String detail) {

  /** The two paths. */
  public enum Kind {
    /** The full AutoML search, its winner through the champion gate. */
    SEARCH,
    /** The champion's configuration fitted on all data, through the same gate. */
    REFIT;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static TrainingPath search(String reason, String detail) {
    return new TrainingPath(Kind.SEARCH, reason, detail);
  }

  static TrainingPath refit(String reason, String detail) {
    return new TrainingPath(Kind.REFIT, reason, detail);
  }
}
