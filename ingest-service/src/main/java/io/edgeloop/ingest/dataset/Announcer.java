package io.edgeloop.ingest.dataset;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.DataSource;
import io.edgeloop.contracts.RejectionReason;
import io.edgeloop.contracts.WireValues;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.storage.dataset.DatasetManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Sends DataLanded synchronously (then records it in the index), and hands DataRejected to
 * {@link Rejections} (the outbox). DataLanded needs no outbox: the stored version (state {@code
 * stored} in the index) is its durable record, announced again at start-up and whenever the
 * original, which stays until the broker has the event, is offered again; its id comes from
 * {@code dataset/v<version>}, so a repeat is recognisable.
 */
public class Announcer {
  private final EventPublisher publisher;
  private final DatasetCatalog catalog;
  private final Rejections rejections;

  public Announcer(EventPublisher publisher, DatasetCatalog catalog, Rejections rejections) {
    this.publisher = publisher;
    this.catalog = catalog;
    this.rejections = rejections;
  }

  public void landed(DatasetManifest m) throws IOException {
    List<ColumnSpec> schema = m.schema().stream().map(c -> new ColumnSpec(c.name(), c.type())).toList();
    publisher.publish(new DataLanded(m.dataset(), m.version(), List.of(m.dataUri()), "parquet", schema, m.rows(), m.bytes(),
        m.sha256(), new DataSource(m.source().kind(), m.source().location(), m.source().item()), Instant.now()));
    catalog.markAnnounced(m.dataset(), m.version());
  }

  /** Queues DataRejected in the outbox; its reason file (written with the same {@code rejectedAt}) is already beside the original. */
  public void rejected(String dataset, IngestItem item, String reasonCode, String message, String quarantineUri, Instant rejectedAt) {
    rejections.announce(new DataRejected(dataset, new DataSource(item.kind(), item.location(), item.name()),
        WireValues.parse(RejectionReason.class, reasonCode), Rejections.shortened(message), quarantineUri, rejectedAt));
  }
}
