package io.edgeloop.training.dataset;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DatasetRef;
import java.time.Instant;
import java.util.List;

/** One landed dataset version as the training service knows it: where its files are and their schema. */
public record DatasetVersion(
    String dataset, long version, List<String> uris, String format, List<ColumnSpec> schema, long rows, String sha256, Instant landedAt) {

  public DatasetRef ref() {
    return new DatasetRef(dataset, version);
  }

  public boolean hasColumn(String name) {
    return schema.stream().anyMatch(c -> c.name().equals(name));
  }
}
