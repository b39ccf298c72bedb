package io.edgeloop.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rollouts on the real Docker engine with real model-server images from the local registry
 * (slow: about a minute, most of it image builds on the vfs storage driver).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerTargetIT {
  private static final String RUN = "docker-target-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static DockerTarget target;

  @BeforeAll
  static void images() throws Exception {
    String why = ModelServerImages.unavailable();
    assumeTrue(why == null, () -> "Docker rollout tests skipped: " + why);
    TestImages.build();
    target = (DockerTarget) new DockerTargetFactory().create(spec("it-docker-target", DockerSettings.DEFAULT_HOST));
  }

  static TargetSpec spec(String name, String host) {
    return new TargetSpec(name, "docker", Map.of(), Map.of(
        "host", host, "port", "0", "drain", "1s", "ready-timeout", "60s", "memory", "512MB", "cpus", "1",
        "label." + ModelServerImages.TEST_LABEL, RUN));
  }

  @AfterAll
  static void cleanUp() {
    if (target != null) {
      target.close();
    }
    ModelServerImages.removeTestContainers(RUN);
  }

  @Test
  @Order(1)
  void shouldServeTheFirstVersionOnTheStablePort() throws Exception {
    target.deploy(TestImages.v1());

    assertThat(InferLoad.inferOnce(target.port(), TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    assertThat(target.running()).contains(TestImages.v1());
  }

  @Test
  @Order(2)
  void shouldSwitchToTheSecondVersionWithoutFailedRequests() throws Exception {
    InferLoad load = new InferLoad(target.port(), TestImages.MODEL, 200_000);
    Thread loop = new Thread(load);
    loop.start();
    long started = System.nanoTime();
    target.deploy(TestImages.v2());
    long rolloutMillis = (System.nanoTime() - started) / 1_000_000;
    Thread.sleep(1_500); // keep calling after the old container is gone
    load.stop();
    loop.join();

    System.out.printf("LOAD DURING SWITCH: %d requests, %d failed, answers %s, errors %s; rollout took %d ms%n",
        load.sent.get(), load.failed.get(), load.answers, load.errors, rolloutMillis);
    assertThat(load.answers).containsKeys(TestImages.answer(TestImages.V1_WEIGHT), TestImages.answer(TestImages.V2_WEIGHT));
    assertThat(load.failed.get()).as("failed requests during the switch: %s", load.errors).isZero();
    assertThat(InferLoad.inferOnce(target.port(), TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));
  }

  @Test
  @Order(3)
  void shouldKeepTheWorkingVersionWhenTheNewOneFailsItsSmokeTest() throws Exception {
    InferLoad load = new InferLoad(target.port(), TestImages.MODEL, 100_000);
    Thread loop = new Thread(load);
    loop.start();
    assertThatThrownBy(() -> target.deploy(TestImages.broken()))
        .isInstanceOf(RolloutFailedException.class)
        .hasMessageContaining("smoke test failed");
    load.stop();
    loop.join();

    assertThat(load.failed.get()).isZero();
    assertThat(load.answers).containsOnlyKeys(TestImages.answer(TestImages.V2_WEIGHT));
    assertThat(target.running()).contains(TestImages.v2());
    assertThat(ModelServerImages.output(java.util.List.of("docker", "ps", "-aq", "--filter",
        "label=" + ModelServerImages.TEST_LABEL + "=" + RUN, "--filter", "label=io.edgeloop.deploy.target=it-docker-target"))
        .trim().lines()).as("only the serving container is left").hasSize(1);
  }

  @Test
  @Order(4)
  void shouldReportAnEngineThatIsAwayAsUnreachableAndDeployWhenItIsBack() throws Exception {
    try (EngineProxy engine = new EngineProxy(Path.of("/var/run/docker.sock"))) {
      DockerTarget remote = (DockerTarget) new DockerTargetFactory().create(spec("it-docker-remote", engine.host()));
      try {
        engine.goAway();
        assertThat(remote.reachable()).isFalse();
        Release v1 = TestImages.v1();
        assertThatThrownBy(() -> remote.deploy(v1)).isInstanceOf(TargetUnreachableException.class);

        engine.comeBack();
        assertThat(remote.reachable()).isTrue();
        remote.deploy(v1);
        assertThat(InferLoad.inferOnce(remote.port(), TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
      } finally {
        remote.close();
      }
    }
  }
}
