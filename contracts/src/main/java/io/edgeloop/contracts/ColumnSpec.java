package io.edgeloop.contracts;

import java.util.Objects;

/** A named, typed column of a dataset. Types: {@code int64}, {@code float64}, {@code string}, {@code boolean}, {@code timestamp}. */
public record ColumnSpec(String name, String type) {
  public ColumnSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
