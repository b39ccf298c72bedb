package io.edgeloop.modelpackage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A statistic over a rolling window of one column; written in lower case. */
public enum WindowStat {
  MEAN,
  /** Population standard deviation (0 for a single value). */
  STD,
  /** Least-squares slope against the row index within the window (0 for a single value). */
  SLOPE,
  MIN,
  MAX,
  /**
   * The window's mean minus the group's baseline: the mean of the first
   * {@link FeatureSpec#baselineRows()} rows of its life. Removes what is particular to one unit
   * (manufacturing offsets, initial wear) and leaves how far it has moved since it started.
   */
  DRIFT;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a statistic name (case-insensitive). */
  @JsonCreator
  public static WindowStat parse(String id) {
    for (WindowStat s : values()) {
      if (s.id().equalsIgnoreCase(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown window statistic '" + id + "', expected one of "
        + Arrays.stream(values()).map(WindowStat::id).collect(Collectors.joining(", ")));
  }
}
