package io.edgeloop.deploy.iotedge;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides from what the hub reports whether a layer serves, failed, or is still on its way: the
 * layer's system metrics (targeted, applied, reported successful / failed devices), its own metrics
 * ({@value #RUNNING} and {@value #FAILED}: devices whose edgeAgent reports the module with this
 * image running, or failed / in backoff), and the edgeAgent reports of the devices it is applied to.
 */
final class LayerHealth {
  static final String RUNNING = "edgeloopModuleRunning";
  static final String FAILED = "edgeloopModuleFailed";

  sealed interface Verdict {}

  /** Every targeted device runs the module with this image. */
  record Serving(String summary) implements Verdict {}

  /** At least one device reports the module failed, or could not apply the layer. */
  record Failed(String reason) implements Verdict {}

  /** Not every targeted device has reported yet. */
  record Waiting(String progress) implements Verdict {}

  private LayerHealth() {}

  /**
   * @param system the layer's {@code systemMetrics.results} (empty before the hub first computed them)
   * @param custom the layer's {@code metrics.results}
   * @param reports the edgeAgent reports of the devices the layer is applied to
   */
  static Verdict judge(Map<String, Long> system, Map<String, Long> custom, List<EdgeAgentReport> reports, String pinnedImage) {
    List<EdgeAgentReport> failed = reports.stream().filter(r -> r.failed(pinnedImage)).toList();
    if (!failed.isEmpty()) {
      return new Failed(failed.stream()
          .map(r -> "device " + r.deviceId() + " reports the module " + r.runtimeStatus()
              + (r.description().isEmpty() ? "" : " (" + r.description() + ")"))
          .collect(Collectors.joining("; ")));
    }
    long failedByHub = custom.getOrDefault(FAILED, 0L);
    if (failedByHub > 0) {
      return new Failed(failedByHub + " device(s) report the module failed or in backoff (hub metric " + FAILED + ")");
    }
    long notApplied = system.getOrDefault("reportedFailedCount", 0L);
    List<EdgeAgentReport> refused = reports.stream().filter(r -> r.desiredStatusCode() != 200).toList();
    if (notApplied > 0 || !refused.isEmpty()) {
      return new Failed("edgeAgent could not apply the deployment on "
          + (refused.isEmpty() ? notApplied + " device(s)" : refused.stream()
              .map(r -> r.deviceId() + " (status " + r.desiredStatusCode() + ")").collect(Collectors.joining(", "))));
    }
    long targeted = system.getOrDefault("targetedCount", 0L);
    long applied = system.getOrDefault("appliedCount", 0L);
    long running = Math.max(reports.stream().filter(r -> r.runs(pinnedImage)).count(), custom.getOrDefault(RUNNING, 0L));
    String progress = "targeted " + targeted + ", applied " + applied + ", running " + running;
    if (targeted > 0 && applied >= targeted && running >= targeted) {
      return new Serving(progress);
    }
    return new Waiting(targeted == 0 ? "no device targeted yet (the hub computes its metrics periodically); " + progress : progress);
  }
}
