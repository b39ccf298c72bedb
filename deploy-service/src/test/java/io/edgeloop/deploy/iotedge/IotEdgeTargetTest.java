package io.edgeloop.deploy.iotedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An iotedge rollout through the real Azure IoT service SDK against {@link RecordedIotHub}, a test
 * double of IoT Hub's REST API with recorded answers (no IoT Hub can run here): the layer it writes,
 * success only once the device's edgeAgent reports the module running, rollback when it reports the
 * module failed, pending while the device does not report. The real hub runs only with credentials.
 */
class IotEdgeTargetTest {
  private static final StackId STACK = new StackId("iot-test");
  private RecordedIotHub hub;
  private DeploymentTarget target;
  private String oldLayer;

  @BeforeEach
  void hub() throws Exception {
    hub = new RecordedIotHub().install();
    target = new IotEdgeTargetFactory(STACK).create(new TargetSpec("plant-a", "iotedge", Map.of(), Map.of(
        "device-id", "gateway-1", "priority", "20", "http-proxy", hub.proxy(), "connection-string", RecordedIotHub.connectionString(),
        "report-timeout", "2s", "poll-interval", "100ms")));
    oldLayer = ((IotEdgeTarget) target).configurationId(new io.edgeloop.deploy.target.Release("turbofan-rul", 6,
        "registry.example:5000/edgeloop/turbofan-rul:6", "sha256:" + "6".repeat(64)));
    hub.existing(oldLayer, Map.of("edgeloop-stack", "iot-test", "edgeloop-target", "plant-a", "edgeloop-model", "turbofan-rul"));
    hub.existing("site-base", Map.of("owner", "site"));
    hub.existing("other-stack-layer", Map.of("edgeloop-stack", "someone-else", "edgeloop-target", "plant-a",
        "edgeloop-model", "turbofan-rul"));
  }

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  @Test
  void shouldWriteALayerAndServeOnlyOnceTheDeviceReportsTheModuleRunning() throws Exception {
    hub.scenario("running");

    target.deploy(EdgeManifestTest.RELEASE);

    String id = ((IotEdgeTarget) target).configurationId(EdgeManifestTest.RELEASE);
    assertThat(hub.requests()).contains("CONNECT " + RecordedIotHub.HOST + ":443 HTTP/1.1", "PUT /configurations/" + id,
        "POST /devices/query");
    JsonNode layer = hub.configurations().get(id);
    assertThat(layer.path("targetCondition").asText()).isEqualTo("deviceId='gateway-1'");
    assertThat(layer.path("priority").asInt()).isEqualTo(20);
    assertThat(layer.path("content").path("modulesContent").path("$edgeAgent").has("properties.desired.modules.turbofan-rul")).isTrue();
    assertThat(layer.path("content").path("modulesContent").path("$edgeAgent").has("properties.desired")).isFalse();
    assertThat(layer.path("metrics").path("queries").path(LayerHealth.RUNNING).asText())
        .contains("configurations.[[" + id + "]].status = 'Applied'", "runtimeStatus = 'running'");
    assertThat(hub.configurations()).as("the earlier edgeloop layer is retired; the site's and another stack's stay")
        .containsKeys(id, "site-base", "other-stack-layer").doesNotContainKey(oldLayer);
  }

  @Test
  void shouldRemoveTheNewLayerAndFailWhenTheDeviceReportsTheModuleFailed() throws Exception {
    hub.scenario("failed");

    assertThatThrownBy(() -> target.deploy(EdgeManifestTest.RELEASE))
        .isInstanceOf(RolloutFailedException.class)
        .hasMessageContaining("device gateway-1 reports the module backoff (Error: exited (1), exit code 1)")
        .hasMessageContaining("the previous layer applies again");

    String id = ((IotEdgeTarget) target).configurationId(EdgeManifestTest.RELEASE);
    assertThat(hub.requests()).contains("DELETE /configurations/" + id);
    assertThat(hub.configurations()).containsKey(oldLayer).doesNotContainKey(id);
  }

  @Test
  void shouldStayPendingWhileTheDeviceDoesNotReportAndOnlyCheckAgainOnTheNextAttempt() throws Exception {
    hub.scenario("waiting");
    String id = ((IotEdgeTarget) target).configurationId(EdgeManifestTest.RELEASE);

    assertThatThrownBy(() -> target.deploy(EdgeManifestTest.RELEASE))
        .isInstanceOf(TargetUnreachableException.class).hasMessageContaining("targeted 1, applied 0, running 0");
    assertThat(hub.configurations()).as("the layer stays for the device to pick up").containsKeys(id, oldLayer);

    hub.scenario("running");
    target.deploy(EdgeManifestTest.RELEASE);
    assertThat(hub.requests().stream().filter(("PUT /configurations/" + id)::equals)).as("written once").hasSize(1);
    assertThat(hub.configurations()).doesNotContainKey(oldLayer);
  }

  @Test
  void shouldStayPendingWithoutAConnectionString() {
    assumeTrue(System.getenv("EDGELOOP_IOTHUB_CONNECTION_STRING") == null, "a connection string is set in the environment");
    var noHub = new IotEdgeTargetFactory(STACK).create(new TargetSpec("hub-test", "iotedge", Map.of(), Map.of("device-id", "d")));

    assertThat(noHub.reachable()).isFalse();
    assertThatThrownBy(() -> noHub.deploy(EdgeManifestTest.RELEASE))
        .isInstanceOf(TargetUnreachableException.class).hasMessageContaining("no IoT Hub connection string");
  }

  @Test
  void shouldApplyToARealDeviceWhenCredentialsAreGiven() throws Exception {
    String connection = System.getenv("EDGELOOP_IOTHUB_CONNECTION_STRING");
    String device = System.getenv("EDGELOOP_IOTEDGE_DEVICE_ID");
    assumeTrue(connection != null && device != null, "real IoT Hub rollout skipped: set EDGELOOP_IOTHUB_CONNECTION_STRING and "
        + "EDGELOOP_IOTEDGE_DEVICE_ID (an IoT Edge device of that hub with a base deployment) to run it; no IoT Hub is reachable here");
    var real = new IotEdgeTargetFactory(STACK).create(new TargetSpec("hub-real", "iotedge", Map.of(),
        Map.of("device-id", device, "connection-string", connection)));

    assertThat(real.reachable()).isTrue();
    real.deploy(EdgeManifestTest.RELEASE);
  }
}
