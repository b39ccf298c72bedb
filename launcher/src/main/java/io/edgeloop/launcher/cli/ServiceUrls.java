package io.edgeloop.launcher.cli;

import picocli.CommandLine.Option;

/** Where the services answer; defaults are one-command mode's ports on this machine. */
public final class ServiceUrls {
  @Option(names = "--ingest-url", defaultValue = "${env:EDGELOOP_INGEST_URL:-http://127.0.0.1:8081}", description = "ingest-service (env EDGELOOP_INGEST_URL, default ${DEFAULT-VALUE})")
  public String ingest;

  @Option(names = "--training-url", defaultValue = "${env:EDGELOOP_TRAINING_URL:-http://127.0.0.1:8082}", description = "training-service (env EDGELOOP_TRAINING_URL, default ${DEFAULT-VALUE})")
  public String training;

  @Option(names = "--packaging-url", defaultValue = "${env:EDGELOOP_PACKAGING_URL:-http://127.0.0.1:8083}", description = "packaging-service (env EDGELOOP_PACKAGING_URL, default ${DEFAULT-VALUE})")
  public String packaging;

  @Option(names = "--deploy-url", defaultValue = "${env:EDGELOOP_DEPLOY_URL:-http://127.0.0.1:8084}", description = "deploy-service (env EDGELOOP_DEPLOY_URL, default ${DEFAULT-VALUE})")
  public String deploy;
}
