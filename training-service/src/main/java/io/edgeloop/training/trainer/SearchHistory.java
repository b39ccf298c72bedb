package io.edgeloop.training.trainer;

import java.util.OptionalLong;

/** Where an experiment's last search run stands, for the {@code every-data-versions} rule. */
@FunctionalInterface
public interface SearchHistory {
  /**
   * The newest version of {@code dataset} that the experiment's last completed search run trained
   * on, or empty when it has none.
   */
  OptionalLong lastSearchedVersion(String experiment, String dataset);
}
