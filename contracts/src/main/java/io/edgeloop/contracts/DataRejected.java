package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/** An input was refused ({@code reasonCode} says why); the original is kept in quarantine at {@code quarantineUri} with its reason. */
public record DataRejected(
    String dataset,
    DataSource source,
    RejectionReason reasonCode,
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

  /** The quarantined copy is unique per rejection; a rejection is announced from one stored record, so its time is stable too. */
  @Override
  public String naturalKey() {
    String where = quarantineUri != null ? quarantineUri : source.location() + "/" + source.item();
    return dataset + "/" + where + "/" + rejectedAt;
  }
}
