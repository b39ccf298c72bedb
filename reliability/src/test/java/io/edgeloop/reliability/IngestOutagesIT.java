package io.edgeloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow (a service start-up per test, ~30 s of outage each): ingest as a separate process on a real
 * Kafka broker, a real PostgreSQL server and Azurite (the blob store), each in a container that the test stops and starts
 * again while files are being dropped, and a local store that runs out of space. Every file ends as exactly one dataset version with one
 * {@code DataLanded}, or one quarantined original with one {@code DataRejected}; nothing is
 * dead-lettered; the service stays up throughout.
 */
class IngestOutagesIT {
  private static BrokerContainer broker;
  private static PostgresContainer postgres;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    SharedInfrastructure.start();
    broker = SharedInfrastructure.broker();
    postgres = SharedInfrastructure.postgres();
  }

  @Test
  void shouldIngestEveryFileExactlyOnceWhenPostgresIsStoppedFor30Seconds() throws Exception {
    try (IngestRun run = new IngestRun(dir, broker, postgres)) {
      ingestThrough(run, () -> Outages.stop(postgres), () -> {}, () -> {
        Outages.start(postgres);
        postgres.awaitReady(Duration.ofSeconds(60));
      });
    }
  }

  @Test
  void shouldIngestEveryFileExactlyOnceWhenAzuriteIsStoppedFor30Seconds() throws Exception {
    try (AzuriteContainer azurite = new AzuriteContainer()) {
      azurite.start();
      try (IngestRun run = new IngestRun(dir, broker, postgres, IngestRun.StoreChoice.azurite(azurite))) {
        ingestThrough(run, () -> Outages.stop(azurite), () -> {}, () -> {
          Outages.start(azurite);
          azurite.awaitReady(Duration.ofSeconds(60));
        });
      }
    }
  }

  /** Disk full is an outage too: the inputs wait in the share (none quarantined) until there is room again. */
  @Test
  void shouldIngestEveryFileExactlyOnceWhenTheLocalStoreRunsOutOfSpace() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("store"), "16m");
        IngestRun run = new IngestRun(dir, broker, postgres, IngestRun.StoreChoice.local(dir.resolve("store")))) {
      ingestThrough(run, disk::fill, () -> {
        for (int i = 1; i <= 3; i++) {
          assertThat(run.share.resolve("during-" + i + ".txt")).as("waiting for room, not quarantined").exists();
        }
        assertThat(run.log()).contains("No space left on device");
      }, disk::free);
    }
  }

  @Test
  void shouldIngestEveryFileExactlyOnceWhenTheBrokerIsStoppedFor30Seconds() throws Exception {
    try (IngestRun run = new IngestRun(dir, broker, postgres)) {
      ingestThrough(run, () -> Outages.stop(broker), () -> {}, () -> {
        Outages.start(broker);
        broker.awaitReady(Duration.ofSeconds(120));
      });
      assertThat(run.log()).as("the broker really went away").containsIgnoringCase("disconnected");
    }
  }

  /** A step of a fault: taking something away, checking while it is away, bringing it back. */
  interface Step {
    void run() throws Exception;
  }

  /**
   * Two good files before the fault, three good and a bad one during it (30 s), one good after it;
   * then the exact end state.
   */
  private static void ingestThrough(IngestRun run, Step fault, Step whileDown, Step recover) throws Exception {
    run.drop("before", 2, false);
    run.awaitAccounted(Duration.ofSeconds(120));

    fault.run();
    run.drop("during", 3, true);
    Thread.sleep(30_000);
    whileDown.run();
    recover.run();
    run.drop("after", 1, false);

    run.awaitAccounted(Duration.ofSeconds(180));
    run.assertExactlyOnce();
  }
}
