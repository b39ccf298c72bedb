package io.edgeloop.launcher;

import java.util.List;
import java.util.Map;

/**
 * One of the four services as the launcher starts it: its application class, its configuration
 * name (each service reads {@code <name>.yml}), its default port, and properties it needs only in a
 * shared JVM.
 */
record ServiceDefinition(String name, Class<?> applicationClass, int defaultPort, Map<String, String> sharedJvmProperties) {

  /**
   * In one JVM every service sees every other's libraries; services without a database must not
   * have Spring Boot configure one just because the JDBC driver is on the classpath.
   */
  private static final Map<String, String> NO_DATABASE =
      Map.of(
          "spring.autoconfigure.exclude",
          String.join(
              ",",
              "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
              "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
              "io.edgeloop.database.EmbeddedPostgresConfiguration"));

  static List<ServiceDefinition> all() {
    return List.of(
        new ServiceDefinition("ingest-service", io.edgeloop.ingest.IngestApplication.class, 8081, NO_DATABASE),
        new ServiceDefinition("training-service", io.edgeloop.training.TrainingApplication.class, 8082, Map.of()),
        new ServiceDefinition("packaging-service", io.edgeloop.packaging.PackagingApplication.class, 8083, Map.of()),
        new ServiceDefinition("deploy-service", io.edgeloop.deploy.DeployApplication.class, 8084, Map.of()));
  }
}
