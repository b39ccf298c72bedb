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

/** Sends DataLanded (then records it in the index) and DataRejected; sends are synchronous. */
public class Announcer {
  private final EventPublisher publisher;
  private final DatasetCatalog catalog;

  public Announcer(EventPublisher publisher, DatasetCatalog catalog) {
    this.publisher = publisher;
    this.catalog = catalog;
  }

  public void landed(DatasetManifest m) throws IOException {
    List<ColumnSpec> schema = m.schema().stream().map(c -> new ColumnSpec(c.name(), c.type())).toList();
    publisher.publish(new DataLanded(m.dataset(), m.version(), List.of(m.dataUri()), "parquet", schema, m.rows(), m.bytes(),
        m.sha256(), new DataSource(m.source().kind(), m.source().location(), m.source().item()), Instant.now()));
    catalog.markAnnounced(m.dataset(), m.version());
  }

  public void rejected(String dataset, IngestItem item, String reasonCode, String message, String quarantineUri) {
    publisher.publish(new DataRejected(dataset, new DataSource(item.kind(), item.location(), item.name()),
        WireValues.parse(RejectionReason.class, reasonCode), message,
        quarantineUri, Instant.now()));
  }
}
