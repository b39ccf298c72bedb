package io.edgeloop.deploy.iotedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IoT Hub call path through the real Azure IoT service SDK. No IoT Hub is reachable here: the
 * target is configured with an HTTP proxy on loopback, which records the SDK's request to tunnel
 * to the hub and refuses it, which must leave the rollout pending. The real apply runs only with
 * credentials.
 */
class IotEdgeTargetTest {

  @Test
  void shouldReachTheHubThroughTheSdkAndStayPendingWhenItHangsUp() throws Exception {
    try (ServerSocket proxy = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread refuser = new Thread(() -> {
        while (!proxy.isClosed()) {
          try (Socket connection = proxy.accept()) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(connection.getInputStream()));
            requests.add(in.readLine());
            for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
              // read the whole request before answering
            }
            connection.getOutputStream().write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes());
          } catch (Exception e) {
            // the test closed the listener
          }
        }
      });
      refuser.setDaemon(true);
      refuser.start();
      String key = Base64.getEncoder().encodeToString("not-a-real-key-not-a-real-key!!".getBytes());
      TargetSpec spec = new TargetSpec("hub-test", "iotedge", Map.of(), Map.of(
          "device-id", "gateway-1",
          "http-proxy", "127.0.0.1:" + proxy.getLocalPort(),
          "connection-string", "HostName=edgeloop-test.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=" + key));
      var target = new IotEdgeTargetFactory().create(spec);

      assertThatThrownBy(() -> target.deploy(EdgeManifestTest.RELEASE)).isInstanceOf(TargetUnreachableException.class);
      assertThat(requests).isNotEmpty().allMatch("CONNECT edgeloop-test.azure-devices.net:443 HTTP/1.1"::equals);
    }
  }

  @Test
  void shouldStayPendingWithoutAConnectionString() {
    assumeTrue(System.getenv("EDGELOOP_IOTHUB_CONNECTION_STRING") == null, "a connection string is set in the environment");
    var target = new IotEdgeTargetFactory().create(new TargetSpec("hub-test", "iotedge", Map.of(), Map.of("device-id", "d")));

    assertThat(target.reachable()).isFalse();
    assertThatThrownBy(() -> target.deploy(EdgeManifestTest.RELEASE))
        .isInstanceOf(TargetUnreachableException.class).hasMessageContaining("no IoT Hub connection string");
  }

  @Test
  void shouldApplyToARealDeviceWhenCredentialsAreGiven() throws Exception {
    String connection = System.getenv("EDGELOOP_IOTHUB_CONNECTION_STRING");
    String device = System.getenv("EDGELOOP_IOTEDGE_DEVICE_ID");
    assumeTrue(connection != null && device != null, "real IoT Hub apply skipped: set EDGELOOP_IOTHUB_CONNECTION_STRING and "
        + "EDGELOOP_IOTEDGE_DEVICE_ID (an IoT Edge device of that hub) to run it; no IoT Hub is reachable here");
    var target = new IotEdgeTargetFactory().create(new TargetSpec("hub-real", "iotedge", Map.of(),
        Map.of("device-id", device, "connection-string", connection)));

    assertThat(target.reachable()).isTrue();
    target.deploy(EdgeManifestTest.RELEASE);
  }
}
