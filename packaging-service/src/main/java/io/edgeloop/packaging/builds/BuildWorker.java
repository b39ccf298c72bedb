package io.edgeloop.packaging.builds;

import io.edgeloop.messaging.loop.PollLoop;
import io.edgeloop.messaging.loop.PollLoops;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs this instance's builds: a poll loop claims and builds one at a time (woken when a build is
 * queued, else every {@code poll-interval}; backing off while the database is away), a heartbeat
 * renews the leases of the builds it holds every third of the lease, and a warm-up at start makes
 * the runtime and server layers before the first model needs them.
 */
public final class BuildWorker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BuildWorker.class);

  private final ImageBuilds builds;
  private final PollLoops loops;
  private final Duration pollInterval;
  private final Duration lease;
  private final Runnable warmUp;
  private volatile PollLoop loop;
  private volatile ScheduledExecutorService heartbeat;

  /** @param warmUp run once in the background at start (null for none) */
  public BuildWorker(ImageBuilds builds, PollLoops loops, Duration pollInterval, Duration lease, Runnable warmUp) {
    this.builds = builds;
    this.loops = loops;
    this.pollInterval = pollInterval;
    this.lease = lease;
    this.warmUp = warmUp;
  }

  /** Looks for a build now. */
  public void wakeUp() {
    PollLoop current = loop;
    if (current != null) {
      current.wakeUp();
    }
  }

  @Override
  public void start() {
    ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "build-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, lease.toMillis() / 3);
    beat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    heartbeat = beat;
    // First, on the loop's own thread (retried with the loop's backoff while the database is away):
    // the builds an earlier process of this instance id left, then the warm-up (a build queued
    // meanwhile waits for the warm-up it needs anyway).
    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    loop = loops.start("image builds", pollInterval, () -> {
      if (!started.get()) {
        builds.releaseLeftByEarlierProcess();
        if (warmUp != null) {
          warmUp.run();
        }
        started.set(true);
        return true;
      }
      return builds.buildNext();
    });
    log.info("instance {}: builds leased for {}", builds.owner(), lease);
  }

  private void renew() {
    try {
      builds.renewLeases();
    } catch (RuntimeException e) {
      log.warn("build lease heartbeat failed: {}", e.toString());
    }
  }

  @Override
  public void stop() {
    PollLoop current = loop;
    loop = null;
    if (current != null) {
      current.stop();
    }
    ScheduledExecutorService beat = heartbeat;
    heartbeat = null;
    if (beat != null) {
      beat.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return loop != null;
  }
}
