package io.edgeloop.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.deploy.target.TargetSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPolicyTest {
  private static final TargetSpec A = new TargetSpec("a-edge", "docker", Map.of("site", "plant-a"), Map.of());
  private static final TargetSpec B = new TargetSpec("b-edge", "docker", Map.of("site", "plant-b", "canary", "true"), Map.of());
  private static final TargetSpec C = new TargetSpec("c-edge", "iotedge", Map.of("site", "plant-a"), Map.of());

  @Test
  void shouldDeployEveryModelToEveryTargetWithoutRules() {
    var placements = new RolloutPolicy(new DeployProperties.Policy(null, false, null, null)).place("m", List.of(C, A));

    assertThat(placements).extracting(p -> p.target().name() + ":" + p.stage() + ":" + p.requireApproval())
        .containsExactly("a-edge:0:false", "c-edge:0:false");
  }

  @Test
  void shouldStageTheCanaryFirstAndTheRestAfterIt() {
    var placements = new RolloutPolicy(new DeployProperties.Policy(null, null, null, null)).place("m", List.of(A, B, C));

    assertThat(placements).extracting(p -> p.target().name() + ":" + p.stage())
        .containsExactly("a-edge:1", "b-edge:0", "c-edge:1");
  }

  @Test
  void shouldPickTargetsByLabelsAndModelNameAndAskForApprovalWhereARuleSaysSo() {
    var rules = List.of(
        new DeployProperties.Rule("turbofan-*", Map.of("site", "plant-a"), true, null),
        new DeployProperties.Rule("other", Map.of(), null, null));
    var policy = new RolloutPolicy(new DeployProperties.Policy(null, false, null, rules));

    assertThat(policy.place("turbofan-rul", List.of(A, B, C)))
        .extracting(p -> p.target().name() + ":" + p.requireApproval())
        .containsExactly("a-edge:true", "c-edge:true");
    assertThat(policy.place("other", List.of(A, B))).extracting(p -> p.target().name()).containsExactly("a-edge", "b-edge");
    assertThat(policy.place("unknown", List.of(A, B))).isEmpty();
  }

  @Test
  void shouldExcludeTargetsARuleDeniesBeforeLaterRulesApply() {
    var rules = List.of(
        new DeployProperties.Rule("*", Map.of("site", "plant-b"), null, false),
        new DeployProperties.Rule("*", Map.of(), null, null));

    assertThat(new RolloutPolicy(new DeployProperties.Policy(null, false, null, rules)).place("m", List.of(A, B, C)))
        .extracting(p -> p.target().name()).containsExactly("a-edge", "c-edge");
  }

  @Test
  void shouldDoubleTheRetryDelayUpToTheMaximum() {
    var retry = new DeployProperties.Retry(Duration.ofSeconds(2), Duration.ofSeconds(10));

    assertThat(List.of(retry.after(1), retry.after(2), retry.after(3), retry.after(4), retry.after(40)))
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10),
            Duration.ofSeconds(10));
  }
}
