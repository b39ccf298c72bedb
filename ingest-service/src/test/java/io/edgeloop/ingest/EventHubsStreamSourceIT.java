package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Rejections;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.ingest.stream.EventHubsStreamSource;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.storage.Azurite;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.StorageSettings;
import io.edgeloop.storage.dataset.DatasetReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Event Hubs over AMQP (EventProcessorClient, checkpoints in a blob container on Azurite). Needs a
 * real Event Hubs namespace or the Event Hubs emulator: set EDGELOOP_EVENTHUBS_CONNECTION_STRING
 * and EDGELOOP_EVENTHUBS_NAME. The emulator is a Docker Hub image, which this machine cannot pull,
 * so here the test skips with that reason; it never passes without talking to Event Hubs.
 */
class EventHubsStreamSourceIT extends IngestITSupport {
  @TempDir Path dir;
  @Autowired EventPublisher publisher;
  @Autowired Rejections rejections;

  @Test
  void shouldCutEventsIntoAVersionAndCheckpointAfterwards() throws Exception {
    String connection = System.getenv("EDGELOOP_EVENTHUBS_CONNECTION_STRING");
    String hub = System.getenv("EDGELOOP_EVENTHUBS_NAME");
    assumeTrue(connection != null && hub != null,
        "no Event Hubs to test against: the Event Hubs emulator is a Docker Hub image (unreachable here) and no namespace is"
            + " configured; set EDGELOOP_EVENTHUBS_CONNECTION_STRING and EDGELOOP_EVENTHUBS_NAME to run this test");
    Azurite.assumeRunning();
    String dataset = "eventhubs-" + UUID.randomUUID().toString().substring(0, 8);
    String runId = UUID.randomUUID().toString();
    try (EventHubProducerClient producer = new EventHubClientBuilder().connectionString(connection, hub).buildProducerClient()) {
      producer.send(List.of(
          new EventData("{\"run\":\"" + runId + "\",\"n\":1,\"v\":0.5}"),
          new EventData("{\"run\":\"" + runId + "\",\"n\":2,\"v\":1.5}")));
    }
    IngestProperties.Stream stream = new IngestProperties.Stream("hub", IngestProperties.StreamKind.EVENT_HUBS, null, dataset,
        new IngestProperties.Format(null, null, null, null, null), "ingest-it", Map.of(),
        new IngestProperties.EventHubs(connection, hub, "$Default", URI.create(Azurite.ENDPOINT + "/" + Azurite.newContainerName("ehcheckpoints")),
            new StorageSettings.Azure(Azurite.CONNECTION_STRING, null, false)),
        100, Duration.ofSeconds(2), null);
    LocalArtifactStore local = new LocalArtifactStore(dir.resolve("blobs"));
    DatasetCatalog catalog = new DatasetCatalog(local, true);
    Ingestor ingestor = new Ingestor(catalog, new Announcer(publisher, catalog, rejections), new IngestMetrics(new SimpleMeterRegistry()),
        dir.resolve("spool"), IngestProperties.SchemaChangePolicy.REJECT, ParquetConverter.Settings.defaults(), 3);
    try (IngestWorker worker = new IngestWorker(ingestor);
        EventHubsStreamSource source = new EventHubsStreamSource(stream, worker, catalog, local, dir.resolve("spool"))) {
      source.start();
      await().atMost(Duration.ofSeconds(90)).until(() -> !IngestEvents.landed(dataset).isEmpty());
    }
    DataLanded landed = IngestEvents.landed(dataset).get(0);
    assertThat(landed.source().kind()).isEqualTo("stream");
    assertThat(DatasetReader.of(local).read(dataset, 1).column("run").values()).contains(runId);
  }
}
