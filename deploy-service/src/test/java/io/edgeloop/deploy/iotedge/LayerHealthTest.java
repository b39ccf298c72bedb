package io.edgeloop.deploy.iotedge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts on a layer, from the hub's metrics and the devices' edgeAgent reports. */
class LayerHealthTest {
  private static final String IMAGE = "registry.example:5000/edgeloop/m@sha256:" + "5e".repeat(32);
  private static final Map<String, Long> ALL_APPLIED = Map.of("targetedCount", 2L, "appliedCount", 2L);

  private static EdgeAgentReport report(String device, String status, String image, int desired) {
    return new EdgeAgentReport(device, status, image, "", desired);
  }

  @Test
  void shouldServeOnlyWhenEveryTargetedDeviceRunsThisImage() {
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(), List.of(report("a", "running", IMAGE, 200)), IMAGE))
        .isInstanceOf(LayerHealth.Waiting.class);
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(),
        List.of(report("a", "running", IMAGE, 200), report("b", "running", "registry.example:5000/edgeloop/m@sha256:old", 200)), IMAGE))
        .as("b still runs the previous image").isInstanceOf(LayerHealth.Waiting.class);
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(),
        List.of(report("a", "running", IMAGE, 200), report("b", "running", IMAGE, 200)), IMAGE))
        .isInstanceOf(LayerHealth.Serving.class);
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(LayerHealth.RUNNING, 2L), List.of(), IMAGE))
        .as("the hub's own count of running devices").isInstanceOf(LayerHealth.Serving.class);
  }

  @Test
  void shouldWaitWhileTheHubHasNotCountedAnyDevice() {
    assertThat(LayerHealth.judge(Map.of(), Map.of(), List.of(), IMAGE))
        .isInstanceOfSatisfying(LayerHealth.Waiting.class, w -> assertThat(w.progress()).contains("no device targeted yet"));
  }

  @Test
  void shouldFailOnAModuleThatExitsOrADeploymentEdgeAgentCouldNotApply() {
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(), List.of(report("a", "failed", IMAGE, 200)), IMAGE))
        .isInstanceOfSatisfying(LayerHealth.Failed.class, f -> assertThat(f.reason()).contains("device a reports the module failed"));
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(), List.of(report("a", "running", IMAGE, 417)), IMAGE))
        .isInstanceOfSatisfying(LayerHealth.Failed.class, f -> assertThat(f.reason()).contains("a (status 417)"));
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(LayerHealth.FAILED, 1L), List.of(), IMAGE)).isInstanceOf(LayerHealth.Failed.class);
    assertThat(LayerHealth.judge(Map.of("targetedCount", 1L, "reportedFailedCount", 1L), Map.of(), List.of(), IMAGE))
        .isInstanceOf(LayerHealth.Failed.class);
    assertThat(LayerHealth.judge(ALL_APPLIED, Map.of(), List.of(report("a", "backoff", "other@sha256:1", 200)), IMAGE))
        .as("another image's trouble is not this layer's").isInstanceOf(LayerHealth.Waiting.class);
  }
}
