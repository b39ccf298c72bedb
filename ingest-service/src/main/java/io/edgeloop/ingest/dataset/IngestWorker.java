package io.edgeloop.ingest.dataset;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the {@link Ingestor} on one thread, so versions of a dataset are numbered without locks and
 * inputs are handled in the order they became complete. Sources submit and get the outcome back.
 */
public class IngestWorker implements AutoCloseable {
  private final Ingestor ingestor;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ingest-worker");
        t.setDaemon(true);
        return t;
      });
  private final AtomicInteger queued = new AtomicInteger();

  public IngestWorker(Ingestor ingestor) {
    this.ingestor = ingestor;
  }

  public CompletableFuture<Outcome> submit(IngestItem item) {
    queued.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> {
      try {
        return ingestor.ingest(item);
      } finally {
        queued.decrementAndGet();
      }
    }, executor);
  }

  /** Inputs submitted and not yet finished. */
  public int queued() {
    return queued.get();
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }
}
