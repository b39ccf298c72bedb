package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.target.TargetSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Decides which targets get a model, whether they wait for approval, and in which stage. */
public class RolloutPolicy {
  /** One target's part of a rollout plan. */
  public record Placement(TargetSpec target, int stage, boolean requireApproval) {}

  private final DeployProperties.Policy policy;

  public RolloutPolicy(DeployProperties.Policy policy) {
    this.policy = policy;
  }

  /** The placements for {@code model} over {@code targets}: stage 0 first, then stage 1 once it is healthy. */
  public List<Placement> place(String model, List<TargetSpec> targets) {
    List<TargetSpec> chosen = new ArrayList<>();
    List<Boolean> approval = new ArrayList<>();
    for (TargetSpec target : targets.stream().sorted(Comparator.comparing(TargetSpec::name)).toList()) {
      if (policy.rules().isEmpty()) {
        chosen.add(target);
        approval.add(policy.requireApproval());
        continue;
      }
      policy.rules().stream()
          .filter(rule -> rule.matchesModel(model) && target.matches(rule.targets()))
          .findFirst()
          .filter(DeployProperties.Rule::deploy)
          .ifPresent(rule -> {
            chosen.add(target);
            approval.add(rule.requireApproval() != null ? rule.requireApproval() : policy.requireApproval());
          });
    }
    int first = 0;
    for (int i = 0; i < chosen.size(); i++) {
      if ("true".equals(chosen.get(i).labels().get("canary"))) {
        first = i;
        break;
      }
    }
    List<Placement> placements = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      int stage = policy.staged() && chosen.size() > 1 && i != first ? 1 : 0;
      placements.add(new Placement(chosen.get(i), stage, approval.get(i)));
    }
    return placements;
  }
}
