package io.edgeloop.launcher.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every CLI command takes, anywhere on the line ({@code edgeloop -o json runs list} or
 * {@code edgeloop runs list -o json}). Where the services are: flags, else {@code EDGELOOP_*_URL},
 * else the running stack's {@code <data-dir>/stack.json}, else one-command mode's default ports.
 */
public final class GlobalOptions {
  /** How results are printed. */
  public enum Format { table, json, yaml }

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table",
      description = "table (for people; the default), json or yaml (what the service returned, for scripts)")
  Format output;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "Bearer token (default: env EDGELOOP_TOKEN, else <data-dir>/admin.token)")
  String token;

  @Option(names = "--ingest-url", scope = ScopeType.INHERIT, hidden = true, defaultValue = "${env:EDGELOOP_INGEST_URL}", paramLabel = "URL",
      description = "ingest-service (env EDGELOOP_INGEST_URL; default from stack.json, else http://127.0.0.1:8081)")
  String ingestUrl;

  @Option(names = "--training-url", scope = ScopeType.INHERIT, hidden = true, defaultValue = "${env:EDGELOOP_TRAINING_URL}", paramLabel = "URL",
      description = "training-service (env EDGELOOP_TRAINING_URL; default from stack.json, else http://127.0.0.1:8082)")
  String trainingUrl;

  @Option(names = "--packaging-url", scope = ScopeType.INHERIT, hidden = true, defaultValue = "${env:EDGELOOP_PACKAGING_URL}", paramLabel = "URL",
      description = "packaging-service (env EDGELOOP_PACKAGING_URL; default from stack.json, else http://127.0.0.1:8083)")
  String packagingUrl;

  @Option(names = "--deploy-url", scope = ScopeType.INHERIT, hidden = true, defaultValue = "${env:EDGELOOP_DEPLOY_URL}", paramLabel = "URL",
      description = "deploy-service (env EDGELOOP_DEPLOY_URL; default from stack.json, else http://127.0.0.1:8084)")
  String deployUrl;

  String flagUrl(Service service) {
    return switch (service) {
      case INGEST -> ingestUrl;
      case TRAINING -> trainingUrl;
      case PACKAGING -> packagingUrl;
      case DEPLOY -> deployUrl;
    };
  }
}
