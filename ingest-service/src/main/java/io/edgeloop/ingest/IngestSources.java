package io.edgeloop.ingest;

import io.edgeloop.ingest.blob.BlobContainerSource;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Rejections;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.ingest.share.QuarantineSweep;
import io.edgeloop.ingest.share.ShareWatcher;
import io.edgeloop.ingest.stream.EventHubsStreamSource;
import io.edgeloop.ingest.stream.KafkaStreamSource;
import io.edgeloop.ingest.stream.StreamSource;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.storage.ArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the sources once the application is up: first it announces versions stored before a
 * crash but never announced and records rejections quarantined before a crash but never recorded
 * ({@link QuarantineSweep}), then it polls shares and blob containers and runs stream consumers.
 */
public class IngestSources implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(IngestSources.class);

  private final IngestProperties properties;
  private final Ingestor ingestor;
  private final IngestWorker worker;
  private final DatasetCatalog catalog;
  private final ArtifactStore store;
  private final IngestMetrics metrics;
  private final String bootstrapServers;
  private final Path spoolDir;
  private final Clock clock;
  private final Rejections rejections;
  private final PollLoops loops;
  private final List<ShareWatcher> shares = new ArrayList<>();
  private final List<BlobContainerSource> blobs = new ArrayList<>();
  private final List<StreamSource> streams = new ArrayList<>();
  private ScheduledExecutorService scheduler;
  private volatile boolean running;

  IngestSources(IngestProperties properties, Ingestor ingestor, IngestWorker worker, DatasetCatalog catalog, ArtifactStore store,
      IngestMetrics metrics, String bootstrapServers, Path spoolDir, Clock clock, Rejections rejections, PollLoops loops) {
    this.properties = properties;
    this.ingestor = ingestor;
    this.worker = worker;
    this.catalog = catalog;
    this.store = store;
    this.metrics = metrics;
    this.bootstrapServers = bootstrapServers;
    this.spoolDir = spoolDir;
    this.clock = clock;
    this.rejections = rejections;
    this.loops = loops;
    metrics.backlog(this::backlog);
  }

  /** Inputs waiting: files settling or queued, blobs found and not handled, stream records not yet in a stored batch. */
  public int backlog() {
    int waiting = worker.queued();
    for (ShareWatcher share : shares) {
      waiting += share.pending();
    }
    for (BlobContainerSource blob : blobs) {
      waiting += blob.pending();
    }
    for (StreamSource stream : streams) {
      waiting += stream.pending();
    }
    return waiting;
  }

  @Override
  public void start() {
    try {
      int announced = ingestor.announcePending();
      if (announced > 0) {
        log.info("announced {} version(s) stored before a restart", announced);
      }
      for (IngestProperties.Share share : properties.shares()) {
        int recorded = QuarantineSweep.sweep(share, rejections);
        if (recorded > 0) {
          log.info("share {}: recorded DataRejected for {} input(s) quarantined before a restart", share.displayName(), recorded);
        }
      }
      rejections.start(loops, Duration.ofSeconds(1));
      scheduler = Executors.newScheduledThreadPool(Math.max(1, properties.shares().size() + properties.blobs().size()), r -> {
        Thread t = new Thread(r, "ingest-poll");
        t.setDaemon(true);
        return t;
      });
      for (IngestProperties.Share share : properties.shares()) {
        ShareWatcher watcher = new ShareWatcher(share, worker, clock);
        shares.add(watcher);
        schedule(watcher::poll, share.pollInterval().toMillis());
        log.info("watching share {} ({}) -> {}", share.displayName(), share.path().toAbsolutePath(),
            share.datasetPerSubfolder() ? "one dataset per subfolder" : "dataset " + share.dataset());
      }
      for (IngestProperties.Blob blob : properties.blobs()) {
        BlobContainerSource source = new BlobContainerSource(blob, worker, store, clock);
        blobs.add(source);
        schedule(source::poll, blob.pollInterval().toMillis());
        log.info("polling blob container {} -> dataset {}", blob.uri(), blob.dataset());
      }
      for (IngestProperties.Stream stream : properties.streams()) {
        StreamSource source = stream.kind() == IngestProperties.StreamKind.EVENT_HUBS
            ? new EventHubsStreamSource(stream, worker, catalog, store, spoolDir)
            : new KafkaStreamSource(stream, bootstrapServers, worker, catalog, store, spoolDir, loops, Duration.ofSeconds(1));
        streams.add(source);
        source.start();
        log.info("reading stream {} ({}) -> dataset {}", stream.displayName(), stream.kind(), stream.dataset());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the ingest sources", e);
    }
    running = true;
  }

  private void schedule(Runnable poll, long intervalMillis) {
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        poll.run();
      } catch (RuntimeException e) {
        log.warn("poll failed", e);
      }
    }, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    running = false;
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    streams.forEach(StreamSource::close);
    rejections.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
