package io.edgeloop.deploy.target;

import java.util.Optional;

/**
 * One place models run. Implementations talk to one outside system (a Docker engine, IoT Hub, a
 * Kubernetes API server) and keep the previous version serving whenever the new one fails.
 */
public interface DeploymentTarget extends AutoCloseable {
  TargetSpec spec();

  /** True when the target answers now (cheap; called periodically for the up/down metric). */
  boolean reachable();

  /**
   * Rolls {@code release} out: on return it serves (or, for targets the service cannot watch, has
   * accepted) the new version.
   *
   * @throws TargetUnreachableException when the target cannot be reached; nothing changed there
   *     that matters, and the same call can be retried later
   * @throws RolloutFailedException when the new version failed its health or smoke test; the
   *     previous version (if any) keeps serving
   */
  void deploy(Release release) throws TargetUnreachableException, RolloutFailedException;

  /** What the target runs now, where it can tell (a Docker host can; a hub-managed fleet may not). */
  default Optional<Release> running() {
    return Optional.empty();
  }

  /**
   * Re-reads what the target serves: another deploy-service instance sharing the database may have
   * rolled out meanwhile. Called by the prober while the target answers.
   */
  default void refresh() {}

  default String name() {
    return spec().name();
  }

  default String kind() {
    return spec().kind();
  }

  @Override
  default void close() {}
}
