package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.deploy.target.TargetSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Decides which targets get a pushed image, whether they wait for approval, and in which stage. */
public class RolloutPolicy {
  public static final String PROMOTED_LABEL = "io.edgeloop.model.promoted";

  /** One target's part of a rollout plan. */
  public record Placement(TargetSpec target, int stage, boolean requireApproval) {}

  private final DeployProperties.Policy policy;

  public RolloutPolicy(DeployProperties.Policy policy) {
    this.policy = policy;
  }

  /**
   * Why this image is not deployed at all, or empty when it may be.
   *
   * @param promoted what ModelTrained said about the version; empty when it was not seen (then the
   *     image label {@value #PROMOTED_LABEL} decides, and without it the packaging service's policy
   *     - promoted versions only, by default - is trusted)
   */
  public Optional<String> refusal(ImagePushed image, Optional<Boolean> promoted) {
    if (policy.deployUnpromoted()) {
      return Optional.empty();
    }
    if (promoted.isPresent()) {
      return promoted.get() ? Optional.empty()
          : Optional.of("version " + image.modelVersion() + " was not promoted by training (policy.deploy-unpromoted=false)");
    }
    if ("false".equalsIgnoreCase(image.labels().get(PROMOTED_LABEL))) {
      return Optional.of("version " + image.modelVersion() + " is not promoted (label " + PROMOTED_LABEL + "=false)");
    }
    return Optional.empty();
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
