package io.edgeloop.training.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.edgeloop.training.config.TrainingProperties;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * A script in a container on the real Docker engine, through the target built from configuration
 * as the service builds it: it runs as a user other than root, cannot write to its root file system
 * (only to /workspace and /tmp), has no network, no capabilities and no way to gain privileges, and the
 * container carries the configured memory, CPU and process limits.
 */
class DockerComputeTargetIT {
  static final String IMAGE = "local/debian:bookworm";
  static final String SOCKET = "unix:///var/run/docker.sock";
  @TempDir Path workDir;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void dockerIsThere() throws Exception {
    assumeTrue(Files.exists(Path.of("/var/run/docker.sock")), "no Docker engine at /var/run/docker.sock");
    Process inspect = new ProcessBuilder("docker", "image", "inspect", IMAGE).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assumeTrue(inspect.waitFor(60, TimeUnit.SECONDS) && inspect.exitValue() == 0, "base image " + IMAGE + " is not imported (see environment.md)");
  }

  @Test
  void shouldConfineTheScriptsContainer() throws Exception {
    ComputeTarget target = target(null);
    String runId = "sandbox-" + UUID.randomUUID();
    String script = String.join("; ",
        "echo uid=$(id -u)",
        "if touch /probe 2>/dev/null; then echo root=writable; else echo root=refused; fi",
        // world-writable in the image: only a read-only root file system refuses this user
        "if touch /var/tmp/probe 2>/dev/null; then echo root-fs=writable; else echo root-fs=read-only; fi",
        "echo x > /tmp/t && echo tmp=writable",
        "echo result > /workspace/outputs/result.txt && echo workspace=writable",
        "if bash -c 'echo > /dev/tcp/192.0.2.1/80' 2>/dev/null; then echo network=reachable; else echo network=unreachable; fi",
        "echo interfaces=$(ls /sys/class/net | tr '\\n' ' ')",
        "grep -E '^(NoNewPrivs|CapEff)' /proc/self/status | tr -d '\\t '",
        "echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)",
        "echo pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)",
        "echo service-variables=$(env | grep -c EDGELOOP_TEST_SERVICE_CREDENTIAL)",
        "echo ready",
        "sleep 4");

    Execution execution = execution(runId, script);
    CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> execute(target, execution));
    InspectContainerResponse container = await().atMost(Duration.ofSeconds(60)).until(() -> running(runId), c -> c != null);
    ExecutionResult result = run.get(120, TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(String.join("\n", lines)).isZero();
    assertThat(lines).doesNotContain("uid=0").anyMatch(l -> l.matches("uid=[1-9][0-9]*"));
    assertThat(lines).contains("root=refused", "root-fs=read-only", "tmp=writable", "workspace=writable", "network=unreachable", "interfaces=lo",
        "NoNewPrivs:1", "CapEff:0000000000000000", "memory=" + DataSize.ofMegabytes(256).toBytes(), "pids=64", "service-variables=0");
    assertThat(Files.readString(workDir.resolve("workspace/outputs/result.txt")).trim()).isEqualTo("result");

    var host = container.getHostConfig();
    assertThat(container.getConfig().getUser()).isNotBlank().doesNotStartWith("0");
    assertThat(host.getReadonlyRootfs()).isTrue();
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(host.getNetworkMode()).isEqualTo("none");
    assertThat(host.getMemory()).isEqualTo(DataSize.ofMegabytes(256).toBytes());
    assertThat(host.getMemorySwap()).isEqualTo(DataSize.ofMegabytes(256).toBytes());
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(host.getPidsLimit()).isEqualTo(64L);
    assertThat(docker().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerComputeTarget.RUN_LABEL, runId)).exec())
        .as("the container is removed").isEmpty();
  }

  @Test
  void shouldGiveTheNetworkThatTheTargetAllows() throws Exception {
    ExecutionResult result = target("bridge").execute(execution("bridge-" + UUID.randomUUID(), "echo interfaces=$(ls /sys/class/net | tr '\\n' ' ')"),
        (s, l) -> lines.add(l), Duration.ofSeconds(60), () -> false);

    assertThat(result.exitCode()).isZero();
    assertThat(lines).anyMatch(l -> l.startsWith("interfaces=") && l.contains("eth0"));
  }

  private ComputeTarget target(String network) {
    TrainingProperties.Compute docker = new TrainingProperties.Compute("docker", SOCKET, 1, null, null, null, DataSize.ofMegabytes(256), 0.5,
        64L, network, DataSize.ofMegabytes(16));
    TrainingProperties properties = new TrainingProperties(null, Map.of("docker", docker), null, null, null, null, null, null, null, null,
        null, null, null, null, null);
    return new ComputeTargets(properties).find("docker").orElseThrow();
  }

  private Execution execution(String runId, String script) throws Exception {
    Path workspace = Files.createDirectories(workDir.resolve("workspace/outputs")).getParent();
    Path data = Files.createDirectories(workDir.resolve("data"));
    return new Execution(runId, 1, script, workspace, data, IMAGE, Map.of());
  }

  private ExecutionResult execute(ComputeTarget target, Execution execution) {
    try {
      return target.execute(execution, (s, l) -> lines.add(l), Duration.ofSeconds(90), () -> false);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The run's container once its script is under way, else null. */
  private InspectContainerResponse running(String runId) {
    if (!lines.contains("ready")) {
      return null;
    }
    var found = docker().listContainersCmd().withLabelFilter(Map.of(DockerComputeTarget.RUN_LABEL, runId)).exec();
    return found.isEmpty() ? null : docker().inspectContainerCmd(found.get(0).getId()).exec();
  }

  private static DockerClient docker() {
    return DockerClientImpl.getInstance(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(SOCKET).withApiVersion("1.41").build(),
        new ApacheDockerHttpClient.Builder().dockerHost(URI.create(SOCKET)).build());
  }
}
