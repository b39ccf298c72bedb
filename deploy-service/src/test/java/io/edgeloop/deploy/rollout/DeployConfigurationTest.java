package io.edgeloop.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.deploy.target.TargetSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-command default target: present with an engine and a free port, absent (not an error) otherwise. */
class DeployConfigurationTest {

  @Test
  void shouldStartWithoutADefaultTargetWhenNoEngineAnswers() {
    var local = new DeployProperties.LocalTarget(true, "edge-local", "unix:///nonexistent/docker.sock", 0);

    assertThat(DeployConfiguration.localTarget(local, List.of())).isEmpty();
  }

  @Test
  void shouldAddTheLocalEngineAsDefaultTargetWhenItAnswers() {
    assumeTrue(Files.exists(Path.of("/var/run/docker.sock")), "no Docker engine at /var/run/docker.sock");
    var local = new DeployProperties.LocalTarget(true, "edge-local", "unix:///var/run/docker.sock", 0);

    assertThat(DeployConfiguration.localTarget(local, List.of())).get()
        .extracting(TargetSpec::name, TargetSpec::kind).containsExactly("edge-local", "docker");
  }

  @Test
  void shouldLeaveTheDefaultOutWhenItsPortIsTakenOrTheNameIsConfigured() throws Exception {
    assumeTrue(Files.exists(Path.of("/var/run/docker.sock")), "no Docker engine at /var/run/docker.sock");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var local = new DeployProperties.LocalTarget(true, "edge-local", "unix:///var/run/docker.sock", taken.getLocalPort());
      assertThat(DeployConfiguration.localTarget(local, List.of())).isEmpty();
    }
    var local = new DeployProperties.LocalTarget(true, "edge-local", "unix:///var/run/docker.sock", 0);
    var configured = new TargetSpec("edge-local", "docker", Map.of(), Map.of("port", "9100"));
    assertThat(DeployConfiguration.localTarget(local, List.of(configured))).isEmpty();
  }
}
