package io.edgeloop.reliability;

import io.edgeloop.testing.FreePorts;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.testcontainers.containers.GenericContainer;

/** A real Apache Kafka broker in a container ({@link LocalImages#kafka()}) on the host network at a free loopback port. */
final class BrokerContainer extends GenericContainer<BrokerContainer> {
  private final int port = FreePorts.next();

  BrokerContainer() {
    super(LocalImages.kafka());
    withNetworkMode("host");
    withEnv("KAFKA_PORT", String.valueOf(port));
    withEnv("CONTROLLER_PORT", String.valueOf(FreePorts.next()));
    withEnv("KAFKA_CLUSTER_ID", Uuid.randomUuid().toString());
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void start() {
    super.start();
    awaitReady(Duration.ofSeconds(120));
  }

  /** Until the broker answers a cluster description (after a start, or a start after {@link Outages#stop}). */
  void awaitReady(Duration timeout) {
    Ready.await("the Kafka broker", timeout, () -> {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
      }
    }, this::getLogs);
  }
}
