package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/** An input was refused; the original is kept in quarantine at {@code quarantineUri} with its reason. */
public record DataRejected(
    String dataset,
    DataSource source,
    String reasonCode,
    String message,
    String quarantineUri,
    Instant rejectedAt)
    implements EdgeloopEvent {

  public DataRejected {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(rejectedAt, "rejectedAt");
  }

  @Override
  public String partitionKey() {
    return dataset;
  }
}
