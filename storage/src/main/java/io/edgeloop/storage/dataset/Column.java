package io.edgeloop.storage.dataset;

import java.util.List;
import java.util.Objects;

/** A named, typed column; types are {@code int64}, {@code float64}, {@code string}, {@code boolean}, {@code timestamp}. */
public record Column(String name, String type) {
  public static final List<String> TYPES = List.of("int64", "float64", "string", "boolean", "timestamp");

  public Column {
    Objects.requireNonNull(name, "name");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("column '" + name + "' has unknown type '" + type + "'; known: " + TYPES);
    }
  }

  public boolean numeric() {
    return type.equals("int64") || type.equals("float64");
  }
}
