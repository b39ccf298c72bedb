package io.edgeloop.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the files of crash points ({@code io.edgeloop.messaging.crash.CrashPoints}) given to a
 * {@link LoopReplicas}' instances: when an instance holds at one, it is killed with SIGKILL there
 * and started again (with the same options: the point, already made, does not hold it twice).
 */
final class CrashPointWatcher implements AutoCloseable {
  private static final Pattern PID = Pattern.compile(" pid (\\d+)$");
  private final LoopReplicas loop;
  private final Collection<Path> points;
  private final Map<String, String> killed = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile String error;

  CrashPointWatcher(LoopReplicas loop, Collection<Path> points) {
    this.loop = loop;
    this.points = points;
    this.thread = new Thread(this::watch, "crash-point-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Point file name to what held there and the instance killed, for each point reached so far. */
  Map<String, String> killed() {
    if (error != null) {
      throw new IllegalStateException(error);
    }
    return Map.copyOf(killed);
  }

  private void watch() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (Path point : points) {
          String name = point.getFileName().toString();
          if (!killed.containsKey(name) && Files.exists(point)) {
            String held = Files.readString(point).strip();
            Matcher pid = PID.matcher(held);
            Optional<String> instance = pid.find() ? loop.instanceWithPid(Long.parseLong(pid.group(1))) : Optional.empty();
            if (instance.isEmpty()) {
              throw new IllegalStateException("no instance holds at " + name + " (" + held + ")");
            }
            System.out.printf("REPLICAS LOOP: %s holds at %s (%s): killed (-9) and started again%n", instance.get(), name, held);
            ServiceProcess restarted = loop.killAndRestartOne(instance.get());
            killed.put(name, held + " on " + instance.get());
            restarted.awaitHealthy(Duration.ofMinutes(5));
          }
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      error = "the crash point watcher failed: " + e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
  }
}
