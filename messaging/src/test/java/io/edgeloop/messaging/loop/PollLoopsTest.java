package io.edgeloop.messaging.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

class PollLoopsTest {

  @Test
  void shouldKeepRetryingAFailingTaskAndReportItDownOnlyAfterTheGracePeriod() {
    PollLoops loops = new PollLoops(Duration.ofMillis(50), Duration.ofMillis(300));
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    PollLoop loop = loops.start("stream orders", Duration.ofMillis(10), () -> {
      calls.incrementAndGet();
      if (broken.get()) {
        throw new IllegalStateException("broker unavailable");
      }
      return false;
    });
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
      assertThat(loops.health().getStatus()).as("failing, but not for long yet").isEqualTo(Status.UP);
      await().atMost(Duration.ofSeconds(5)).until(() -> loops.health().getStatus().equals(Status.DOWN));
      assertThat(loops.health().getDetails().get("stream orders").toString()).contains("broker unavailable");

      broken.set(false);

      await().atMost(Duration.ofSeconds(5)).until(() -> loops.health().getStatus().equals(Status.UP));
      assertThat(loop.state().consecutiveFailures()).isZero();
      assertThat(loop.state().lastSuccess()).isNotNull();
    } finally {
      loop.stop();
    }
    assertThat(loop.state().running()).isFalse();
  }

  @Test
  void shouldRunAgainAtOnceWhileThereIsMoreWorkAndWhenWoken() {
    PollLoops loops = new PollLoops(Duration.ofSeconds(60), Duration.ofMinutes(2));
    AtomicInteger backlog = new AtomicInteger(5);
    AtomicInteger calls = new AtomicInteger();
    PollLoop loop = loops.start("outbox", Duration.ofHours(1), () -> {
      calls.incrementAndGet();
      return backlog.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    });
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 6);
      backlog.set(1);
      loop.wakeUp();
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 8);
    } finally {
      loop.stop();
    }
  }

  @Test
  void shouldCapTheBackoff() {
    PollLoop loop = new PollLoop("x", Duration.ofMillis(100), Duration.ofSeconds(1), () -> false);

    assertThat(loop.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(loop.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(loop.backoff(40)).isEqualTo(Duration.ofSeconds(1));
  }
}
