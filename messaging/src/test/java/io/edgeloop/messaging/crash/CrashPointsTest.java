package io.edgeloop.messaging.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashPointsTest {
  private static final String POINT = "edgeloop.test.crash-points-test";

  @TempDir Path dir;

  @AfterEach
  void off() {
    System.clearProperty(POINT);
  }

  @Test
  void shouldPassAPointThatNoPropertyNames() {
    CrashPoints.reached(POINT, "nothing");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void shouldHoldTheFirstArrivalOnlyAndSayWhereAndWho() throws Exception {
    Path file = dir.resolve("held");
    System.setProperty(POINT, file.toString());
    Thread first = new Thread(() -> CrashPoints.reached(POINT, "model@1"));
    first.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
    assertThat(Files.readString(file)).isEqualTo("model@1 pid " + ProcessHandle.current().pid());

    // Another instance (or the restarted one) reaching the point goes on.
    CompletableFuture.runAsync(() -> CrashPoints.reached(POINT, "model@2")).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Files.readString(file)).startsWith("model@1 ");
    assertThat(first.isAlive()).as("the first arrival is still held").isTrue();
    assertThat(dir).isDirectoryNotContaining("glob:**.part");
    first.interrupt();
    first.join(10_000);
  }

  @Test
  void shouldHoldTheOutboxOnlyForTheNamedTypeWhereOneIsNamed() {
    assertThat(CrashPoints.outboxHolds("edgeloop.run.requested.v1")).isTrue();
    System.setProperty(CrashPoints.OUTBOX_TYPE, "edgeloop.model.trained.v1");
    try {
      assertThat(CrashPoints.outboxHolds("edgeloop.run.requested.v1")).isFalse();
      assertThat(CrashPoints.outboxHolds("edgeloop.model.trained.v1")).isTrue();
    } finally {
      System.clearProperty(CrashPoints.OUTBOX_TYPE);
    }
  }
}
