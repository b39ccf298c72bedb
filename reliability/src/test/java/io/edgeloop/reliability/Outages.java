package io.edgeloop.reliability;

import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Takes a running container away and brings it back as an outage would: {@code docker stop} (SIGTERM,
 * then SIGKILL after the grace period) and {@code docker start} of the same container, which keeps
 * its file system (a broker's log, a database's cluster) and, on the host network, its ports.
 */
final class Outages {
  private Outages() {}

  static void stop(GenericContainer<?> container) {
    DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
  }

  static void start(GenericContainer<?> container) {
    DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
  }

  /** Stops the container for {@code outage}, then starts it again. */
  static void outage(GenericContainer<?> container, Duration outage) throws InterruptedException {
    stop(container);
    Thread.sleep(outage.toMillis());
    start(container);
  }
}
