package io.edgeloop.deploy.web;

import java.util.Map;

/**
 * A target as the REST API shows it.
 *
 * @param up whether it answered just now
 * @param running what it serves now (null when nothing, or when it cannot tell and history has nothing)
 * @param pending deployments waiting for it to come back
 */
public record TargetView(
    String name, String kind, Map<String, String> labels, Map<String, String> connection, boolean up,
    Running running, int pending) {

  /** @param source {@code target} (asked the target itself) or {@code history} (last successful deployment) */
  public record Running(String model, int version, String digest, String source) {}
}
