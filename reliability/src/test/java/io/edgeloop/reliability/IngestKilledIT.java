package io.edgeloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slow (two service start-ups per step): ingest (its exec jar, a JVM of its own) is held by a test
 * hook at one critical step and killed there with SIGKILL, then started again: after the store and
 * before the announcement, after the announcement and before the original is tidied away, and
 * after a bad input's move to quarantine and before its {@code DataRejected} is recorded. Every
 * input is accounted for exactly once afterwards (the broker and PostgreSQL in containers).
 */
class IngestKilledIT {
  private static BrokerContainer broker;
  private static PostgresContainer postgres;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    SharedInfrastructure.start();
    broker = SharedInfrastructure.broker();
    postgres = SharedInfrastructure.postgres();
  }

  @ParameterizedTest
  @ValueSource(strings = {"halt-after-store", "halt-after-announce", "halt-after-quarantine"})
  void shouldAccountForEveryInputExactlyOnceAfterAKillAt(String step) throws Exception {
    Path halted = dir.resolve("halted");
    try (IngestRun run = new IngestRun(dir, broker, postgres, IngestRun.StoreChoice.local(dir.resolve("store")),
        List.of("-Dedgeloop.ingest.test." + step + "=" + halted))) {
      run.drop("first", 1, true);
      await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(halted));

      run.killAndRestart();
      run.drop("second", 1, true);

      run.awaitAccounted(Duration.ofSeconds(180));
      run.assertExactlyOnce();
      assertThat(Files.readString(halted)).as("held at the step").isNotBlank();
    }
  }
}
