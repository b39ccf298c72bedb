package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.BlobContainerClient;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.storage.ArtifactStores;
import io.edgeloop.storage.Azurite;
import io.edgeloop.storage.StorageSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import io.edgeloop.ingest.blob.BlobContainerSource;
import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Rejections;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.messaging.EventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.Test;

/** A blob container on Azurite end to end: new blobs become versions once each, remembered across polls in the store. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one container and dataset: versions are counted in this order
class BlobSourceIT extends IngestITSupport {
  BlobContainerClient container;

  @BeforeEach
  void container() {
    Azurite.assumeRunning();
    container = ArtifactStores.containerClientBuilder(URI.create(Azurite.ENDPOINT + "/" + BLOB_CONTAINER),
        new StorageSettings.Azure(Azurite.CONNECTION_STRING, null, false)).buildClient();
    container.createIfNotExists();
  }

  @Test
  @Order(1)
  void shouldIngestEachNewBlobOnceAndRememberThePosition() throws Exception {
    String first = "sensor,value,at\ns1,1.5,2024-05-01T10:00:00Z\ns2,-3.25,2024-05-01T10:00:01Z\n";
    container.getBlobClient("site-a/2024-05-01.csv").upload(com.azure.core.util.BinaryData.fromString(first), true);

    DataLanded v1 = awaitLanded("blob-e2e", 1);
    assertThat(v1.source().kind()).isEqualTo("blob");
    assertThat(v1.source().location()).isEqualTo(Azurite.ENDPOINT + "/" + BLOB_CONTAINER);
    assertThat(v1.source().item()).isEqualTo("site-a/2024-05-01.csv");
    assertThat(v1.schema()).extracting(c -> c.type()).containsExactly("string", "float64", "timestamp");
    assertRows(read(v1), List.of(
        new Object[] {"s1", 1.5, 1714557600000000L},
        new Object[] {"s2", -3.25, 1714557601000000L}));
    await().atMost(Duration.ofSeconds(10)).until(() -> new String(store.readBytes(positionKey()), StandardCharsets.UTF_8).contains("2024-05-01.csv"));

    String second = "sensor,value,at\ns3,7.0,2024-05-02T00:00:00Z\n";
    container.getBlobClient("site-a/2024-05-02.csv").upload(com.azure.core.util.BinaryData.fromString(second), true);

    DataLanded v2 = awaitLanded("blob-e2e", 2);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.source().item()).isEqualTo("site-a/2024-05-02.csv");
    assertRows(read(v2), List.<Object[]>of(new Object[] {"s3", 7.0, 1714608000000000L}));
    Thread.sleep(1500); // several more polls: neither blob is handled again
    assertThat(IngestEvents.landed("blob-e2e")).hasSize(2);
    assertThat(container.getBlobClient("site-a/2024-05-01.csv").exists()).as("kept by default").isTrue();
  }

  @Test
  @Order(2)
  void shouldQuarantineABadBlobIntoTheStoreWithItsReason() throws Exception {
    container.getBlobClient("bad/ragged.csv").upload(com.azure.core.util.BinaryData.fromString("a,b\n1,2\n3\n"), true);

    var rejected = awaitRejected("blob-e2e");

    assertThat(rejected.reasonCode().wire()).isEqualTo("ragged_rows");
    String key = store.list("quarantine/blob-e2e/").stream().filter(k -> k.endsWith("bad_ragged.csv")).findFirst().orElseThrow();
    assertThat(new String(store.readBytes(key), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n3\n");
    assertThat(new String(store.readBytes(key + ".reason.json"), StandardCharsets.UTF_8)).contains("ragged_rows");
    assertThat(rejected.quarantineUri()).isEqualTo(store.uri(key).toString());
  }

  @Test
  @Order(3)
  void shouldNotRepeatBlobsAfterARestartBlobsAfterARestart() throws Exception {
    container.getBlobClient("restart/one.csv").upload(com.azure.core.util.BinaryData.fromString("sensor,value,at\nr1,1.0,2024-05-03T00:00:00Z\n"), true);
    await().atMost(Duration.ofSeconds(60)).until(() -> IngestEvents.landed("blob-e2e").stream().anyMatch(e -> e.source().item().equals("restart/one.csv")));
    await().atMost(Duration.ofSeconds(10)).until(() -> new String(store.readBytes(positionKey()), StandardCharsets.UTF_8).contains("restart/one.csv"));

    // A second source over the same store plays the restarted service (the running one keeps polling too).
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DatasetCatalog catalog = new DatasetCatalog(store, true);
    Ingestor ingestor = new Ingestor(catalog, new Announcer(publisher, catalog, rejections), new IngestMetrics(registry),
        Files.createTempDirectory("spool"), IngestProperties.SchemaChangePolicy.REJECT, ParquetConverter.Settings.defaults(), 3);
    IngestProperties.Blob settings = properties.blobs().get(0);
    try (IngestWorker worker = new IngestWorker(ingestor)) {
      BlobContainerSource restarted = new BlobContainerSource(settings, worker, store, Clock.systemUTC());
      restarted.poll();
      assertThat(registry.find("edgeloop.ingest.files").tag("result", "seen").counter()).as("nothing handled twice").isNull();
    }
  }

  @Autowired IngestProperties properties;
  @Autowired EventPublisher publisher;
  @Autowired Rejections rejections;

  private static String positionKey() {
    return "ingest/positions/blob-" + BLOB_CONTAINER + ".json";
  }
}
