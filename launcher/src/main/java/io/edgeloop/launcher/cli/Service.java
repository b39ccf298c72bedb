package io.edgeloop.launcher.cli;

/** The four services the CLI talks to, with one-command mode's default ports. */
public enum Service {
  INGEST("ingest-service", 8081),
  TRAINING("training-service", 8082),
  PACKAGING("packaging-service", 8083),
  DEPLOY("deploy-service", 8084);

  private final String id;
  private final int defaultPort;

  Service(String id, int defaultPort) {
    this.id = id;
    this.defaultPort = defaultPort;
  }

  /** The service's name, as in {@code stack.json} and in its configuration file. */
  public String id() {
    return id;
  }

  String defaultUrl() {
    return "http://127.0.0.1:" + defaultPort;
  }
}
