package io.edgeloop.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two stacks (two deploy services with different stack ids) on one real Docker engine, each with a
 * docker target of the same name: neither adopts, retires nor removes the other's containers, and
 * a restarted service of one stack adopts its own container even when the other stack's is newer.
 */
class DockerTargetStacksIT {
  private static final String RUN = "stacks-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TARGET = RUN + "-edge";

  @BeforeAll
  static void images() throws Exception {
    String why = ModelServerImages.unavailable();
    assumeTrue(why == null, () -> "docker stacks IT skipped: " + why);
    TestImages.build();
  }

  @AfterAll
  static void cleanUp() {
    ModelServerImages.removeTestContainers(RUN);
  }

  @Test
  void shouldKeepEachStackToItsOwnContainersOnASharedEngine() throws Exception {
    StackId first = new StackId(RUN + "-a");
    StackId second = new StackId(RUN + "-b");
    try (DeploymentTarget a = target(first); DeploymentTarget b = target(second)) {
      a.deploy(TestImages.v1());
      assertThat(b.running()).as("the other stack's container is not adopted").isEmpty();

      b.deploy(TestImages.v2());
      assertThat(containers(first)).as("the second stack's rollout left the first's container alone").hasSize(1);
      assertThat(containers(second)).hasSize(1);
      assertThat(InferLoad.inferOnce(((DockerTarget) a).port(), TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
      assertThat(InferLoad.inferOnce(((DockerTarget) b).port(), TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));

      try (DeploymentTarget restarted = target(first)) {
        assertThat(restarted.running()).as("a restarted service adopts its own stack's container, not the newer other one")
            .map(Release::modelVersion).contains(1);
        restarted.refresh();
        assertThat(restarted.running()).map(Release::modelVersion).contains(1);
      }
      b.deploy(TestImages.v1());
      assertThat(containers(first)).hasSize(1);
      assertThat(InferLoad.inferOnce(((DockerTarget) a).port(), TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT));
    }
  }

  private static DeploymentTarget target(StackId stack) throws IOException {
    return new DockerTargetFactory(stack).create(new TargetSpec(TARGET, "docker", Map.of(), Map.of(
        "port", Integer.toString(FreePorts.next()), "drain", "200ms", "label." + ModelServerImages.TEST_LABEL, RUN)));
  }

  private static List<String> containers(StackId stack) {
    return ModelServerImages.output(List.of("docker", "ps", "-q", "--filter", "label=io.edgeloop.stack=" + stack.value(),
        "--filter", "label=io.edgeloop.deploy.target=" + TARGET)).lines().filter(l -> !l.isBlank()).toList();
  }

}
