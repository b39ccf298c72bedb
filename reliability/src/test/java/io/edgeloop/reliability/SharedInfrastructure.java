package io.edgeloop.reliability;

/**
 * The broker and the PostgreSQL server the fault tests of this JVM share: started on first use and
 * stopped (containers removed) when the JVM exits. Each test has its own dataset, share and
 * database; a test that stops one brings it back before it ends.
 */
final class SharedInfrastructure {
  private static BrokerContainer broker;
  private static PostgresContainer postgres;

  private SharedInfrastructure() {}

  /** Skips the calling test where there is no Docker engine or local base image; starts both containers once. */
  static synchronized void start() {
    LocalImages.assumeDocker();
    if (broker == null) {
      broker = new BrokerContainer();
      postgres = new PostgresContainer();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        broker.stop();
        postgres.stop();
      }, "reliability-containers"));
      broker.start();
      postgres.start();
    }
  }

  static BrokerContainer broker() {
    return broker;
  }

  static PostgresContainer postgres() {
    return postgres;
  }
}
