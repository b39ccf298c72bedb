package io.edgeloop.modelpackage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a model predicts; written in lower case ({@code regression}, {@code binary}, {@code multiclass}). */
public enum Task {
  REGRESSION,
  BINARY,
  MULTICLASS;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code regression}, {@code binary} or {@code multiclass} (case-insensitive). */
  @JsonCreator
  public static Task parse(String id) {
    for (Task t : values()) {
      if (t.id().equalsIgnoreCase(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + id + "', expected one of "
        + Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", ")));
  }

  public boolean isClassification() {
    return this != REGRESSION;
  }
}
