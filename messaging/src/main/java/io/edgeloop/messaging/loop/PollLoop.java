package io.edgeloop.messaging.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop on its own thread: runs its task, again at once while the task reports work
 * done, else after {@code interval} or when woken. A task that throws is retried with capped
 * exponential backoff (from {@code interval}, doubling, up to {@code maxBackoff}) and logged once per
 * failure streak, never dropped: the loop only ends when stopped. Its state is reported on
 * {@code /actuator/health} through {@link PollLoops}.
 */
public final class PollLoop {
  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

  /** Where a loop stands, as health reports it. */
  public record State(String name, boolean running, int consecutiveFailures, Instant failingSince, String lastError,
      Instant lastSuccess) {}

  private final String name;
  private final Duration interval;
  private final Duration maxBackoff;
  private final Callable<Boolean> task;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private final Thread thread;
  private volatile boolean stopping;
  private boolean wakeUpPending;
  private volatile int consecutiveFailures;
  private volatile Instant failingSince;
  private volatile String lastError;
  private volatile Instant lastSuccess;

  PollLoop(String name, Duration interval, Duration maxBackoff, Callable<Boolean> task) {
    this.name = name;
    this.interval = interval;
    this.maxBackoff = maxBackoff.compareTo(interval) < 0 ? interval : maxBackoff;
    this.task = task;
    this.thread = new Thread(this::run, "loop-" + name.replaceAll("[^A-Za-z0-9._-]+", "-"));
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Runs the task soon, without waiting for the interval (a backoff is not cut short). */
  public void wakeUp() {
    lock.lock();
    try {
      wakeUpPending = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the loop and waits up to 30 s for a running task to finish (it is interrupted). */
  public void stop() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public State state() {
    return new State(name, thread.isAlive() && !stopping, consecutiveFailures, failingSince, lastError, lastSuccess);
  }

  public String name() {
    return name;
  }

  private void run() {
    while (!stopping) {
      Duration wait;
      try {
        boolean more = Boolean.TRUE.equals(task.call());
        if (consecutiveFailures > 0) {
          log.info("{}: working again after {} failed attempt(s)", name, consecutiveFailures);
        }
        consecutiveFailures = 0;
        failingSince = null;
        lastError = null;
        lastSuccess = Instant.now();
        if (more) {
          continue;
        }
        wait = interval;
      } catch (InterruptedException e) {
        if (stopping) {
          return;
        }
        Thread.interrupted();
        wait = interval;
      } catch (Exception | Error e) { // an Error too: a loop that dies silently is the failure this class exists to prevent
        if (stopping) {
          return;
        }
        consecutiveFailures++;
        if (failingSince == null) {
          failingSince = Instant.now();
          log.warn("{} failed, retrying with backoff: {}", name, e.toString(), e);
        } else {
          log.debug("{} failed again ({} in a row): {}", name, consecutiveFailures, e.toString());
        }
        lastError = e.toString();
        wait = backoff(consecutiveFailures);
      }
      await(wait);
    }
  }

  Duration backoff(int failures) {
    long millis = interval.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(Math.max(millis, interval.toMillis()), maxBackoff.toMillis()));
  }

  private void await(Duration wait) {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      boolean backingOff = consecutiveFailures > 0;
      while (!stopping && nanos > 0 && (backingOff || !wakeUpPending)) {
        nanos = woken.awaitNanos(nanos);
      }
      wakeUpPending = false;
    } catch (InterruptedException e) {
      // stop() interrupts; the loop condition sees it
    } finally {
      lock.unlock();
    }
  }
}
