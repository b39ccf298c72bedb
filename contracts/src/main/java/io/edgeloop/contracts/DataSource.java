package io.edgeloop.contracts;

import java.util.Objects;

/**
 * Where data came from: {@code kind} is {@code share}, {@code blob} or {@code stream}; {@code
 * location} the share path, container URL or topic / hub; {@code item} the file, blob or batch.
 */
public record DataSource(String kind, String location, String item) {
  public DataSource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
  }
}
