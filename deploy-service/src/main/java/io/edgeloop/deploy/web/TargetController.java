package io.edgeloop.deploy.web;

import io.edgeloop.deploy.rollout.DeployMetrics;
import io.edgeloop.deploy.rollout.Deployment;
import io.edgeloop.deploy.rollout.DeploymentRepository;
import io.edgeloop.deploy.rollout.DeploymentStatus;
import io.edgeloop.deploy.rollout.RolloutService;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.TargetRegistry;
import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/targets}: the configured targets, what they run, and manual rollback. */
@RestController
@RequestMapping("/api/targets")
@Tag(name = "targets", description = "Deployment targets, what they run, manual rollback")
class TargetController {
  private final TargetRegistry targets;
  private final DeploymentRepository deployments;
  private final RolloutService rollouts;
  private final DeployMetrics metrics;

  TargetController(TargetRegistry targets, DeploymentRepository deployments, RolloutService rollouts, DeployMetrics metrics) {
    this.targets = targets;
    this.deployments = deployments;
    this.rollouts = rollouts;
    this.metrics = metrics;
  }

  @Operation(summary = "List targets with what each runs")
  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<TargetView> list() {
    return targets.all().stream().map(this::view).toList();
  }

  @Operation(summary = "Show one target")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{name}")
  TargetView get(@PathVariable String name) {
    return view(targets.find(name).orElseThrow(() -> new NoSuchElementException("no target " + name)));
  }

  /**
   * Body {@code {"version": 3}} or {@code {"model": "m", "version": 3}}: queues a deployment of that
   * earlier version; answers 202 with it.
   */
  @Operation(summary = "Roll a target back to an earlier version")
  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{name}/rollback")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Deployment rollback(@PathVariable String name, @RequestBody RollbackRequest request) {
    if (request.version() == null || request.version() < 1) {
      throw new IllegalArgumentException("body must name the version to roll back to: {\"version\": n}");
    }
    return rollouts.rollback(name, request.model(), request.version());
  }

  /** @param model optional: defaults to the model the target runs */
  record RollbackRequest(String model, Integer version) {}

  private TargetView view(DeploymentTarget target) {
    // The prober's last answer: asking a far-away target on every API call would make the API as slow as it.
    boolean up = metrics.lastUp(target.name()).orElse(false);
    TargetView.Running running = target.running()
        .map(r -> new TargetView.Running(r.modelName(), r.modelVersion(), r.digest(), "target"))
        .orElseGet(() -> deployments.current(target.name())
            .map(d -> new TargetView.Running(d.modelName(), d.modelVersion(), d.imageDigest(), "history"))
            .orElse(null));
    return new TargetView(target.name(), target.kind(), target.spec().labels(), target.spec().redactedConnection(),
        up, running, deployments.countOpen(target.name(), DeploymentStatus.PENDING));
  }
}
