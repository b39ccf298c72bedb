package io.edgeloop.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A new, verified dataset version is stored and ready for training. */
public record DataLanded(
    String dataset,
    long version,
    List<String> uris,
    String format,
    List<ColumnSpec> schema,
    long rows,
    long bytes,
    String sha256,
    DataSource source,
    Instant landedAt)
    implements EdgeloopEvent {

  public DataLanded {
    Objects.requireNonNull(dataset, "dataset");
    uris = List.copyOf(uris);
    schema = List.copyOf(schema);
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(landedAt, "landedAt");
  }

  public DatasetRef ref() {
    return new DatasetRef(dataset, version);
  }

  @Override
  public String partitionKey() {
    return dataset;
  }

  @Override
  public String naturalKey() {
    return dataset + "/v" + version;
  }
}
