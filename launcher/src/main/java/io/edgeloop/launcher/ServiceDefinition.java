package io.edgeloop.launcher;

import java.util.List;

/**
 * One of the four services as the launcher starts it: its application class, its configuration
 * name (each service reads {@code <name>.yml}), its default port, and its schema in the stack's one
 * PostgreSQL.
 */
record ServiceDefinition(String name, Class<?> applicationClass, int defaultPort, String schema) {

  static List<ServiceDefinition> all() {
    return List.of(
        new ServiceDefinition("ingest-service", io.edgeloop.ingest.IngestApplication.class, 8081, "ingest"),
        new ServiceDefinition("training-service", io.edgeloop.training.TrainingApplication.class, 8082, "training"),
        new ServiceDefinition("packaging-service", io.edgeloop.packaging.PackagingApplication.class, 8083, "packaging"),
        new ServiceDefinition("deploy-service", io.edgeloop.deploy.DeployApplication.class, 8084, "deploy"));
  }
}
