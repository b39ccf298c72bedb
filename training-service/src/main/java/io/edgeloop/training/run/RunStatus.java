package io.edgeloop.training.run;

import java.util.Locale;

/** Lifecycle of a run: queued -> preparing -> running -> completed | failed | canceled. */
public enum RunStatus {
  QUEUED,
  PREPARING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
