package io.edgeloop.launcher.cli;

import java.util.Locale;

/**
 * The roles of edgeloop's API (each includes the ones before it): what a CLI call needs, so that a
 * refusal can say so.
 */
public enum Role {
  VIEWER, SCIENTIST, OPERATOR, ADMIN;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
