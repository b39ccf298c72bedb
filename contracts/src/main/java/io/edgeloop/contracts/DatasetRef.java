package io.edgeloop.contracts;

import java.util.Objects;

/** One version of one dataset. */
public record DatasetRef(String name, long version) {
  public DatasetRef {
    Objects.requireNonNull(name, "name");
    if (version < 1) {
      throw new IllegalArgumentException("dataset version must be >= 1, got " + version);
    }
  }

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
