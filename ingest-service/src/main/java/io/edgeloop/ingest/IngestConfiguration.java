package io.edgeloop.ingest;

import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Rejections;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.ingest.replica.PostgresDatasetLocks;
import io.edgeloop.ingest.replica.PostgresSourceClaims;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.messaging.outbox.Outbox;
import io.edgeloop.storage.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the pipeline (catalog, announcer, rejections, ingestor, worker) and the sources' lifecycle. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

  @Bean
  IngestMetrics ingestMetrics(MeterRegistry registry) {
    return new IngestMetrics(registry);
  }

  @Bean(destroyMethod = "close")
  PostgresSourceClaims sourceClaims(JdbcTemplate jdbc, IngestProperties properties, PollLoops loops) throws UnknownHostException {
    String owner = InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    PostgresSourceClaims claims = new PostgresSourceClaims(jdbc, owner, properties.claims().lease());
    claims.start(loops);
    return claims;
  }

  @Bean
  DatasetCatalog datasetCatalog(ArtifactStore store, IngestProperties properties, JdbcTemplate jdbc, TransactionTemplate tx) {
    return new DatasetCatalog(store, properties.verifyStored(), new PostgresDatasetLocks(jdbc, tx));
  }

  @Bean
  Rejections rejections(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox) {
    return new Rejections(jdbc, tx, outbox);
  }

  @Bean
  Announcer announcer(EventPublisher publisher, DatasetCatalog catalog, Rejections rejections) {
    return new Announcer(publisher, catalog, rejections);
  }

  @Bean
  Ingestor ingestor(DatasetCatalog catalog, Announcer announcer, IngestMetrics metrics, IngestProperties properties,
      @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir, PostgresSourceClaims claims) throws IOException {
    Path spool = properties.spoolDir() != null ? properties.spoolDir() : dataDir.resolve("ingest/spool");
    return new Ingestor(catalog, announcer, metrics, spool, properties.onSchemaChange(),
        properties.conversion().settings(properties.limits()), properties.limits().maxAttempts(), claims);
  }

  @Bean(destroyMethod = "close")
  IngestWorker ingestWorker(Ingestor ingestor) {
    return new IngestWorker(ingestor);
  }

  @Bean
  IngestSources ingestSources(IngestProperties properties, Ingestor ingestor, IngestWorker worker, DatasetCatalog catalog,
      ArtifactStore store, IngestMetrics metrics, @Value("${edgeloop.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir, Rejections rejections, PollLoops loops) {
    Path spool = properties.spoolDir() != null ? properties.spoolDir() : dataDir.resolve("ingest/spool");
    return new IngestSources(properties, ingestor, worker, catalog, store, metrics, bootstrapServers, spool, Clock.systemUTC(), rejections, loops);
  }
}
