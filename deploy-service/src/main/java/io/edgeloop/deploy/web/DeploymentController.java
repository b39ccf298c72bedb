package io.edgeloop.deploy.web;

import io.edgeloop.deploy.rollout.Deployment;
import io.edgeloop.deploy.rollout.DeploymentRepository;
import io.edgeloop.deploy.rollout.RolloutService;
import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/deployments}: the history (newest first, filter by target and model) and approvals. */
@RestController
@RequestMapping("/api/deployments")
@Tag(name = "deployments", description = "Deployment history and approvals")
class DeploymentController {
  private final DeploymentRepository deployments;
  private final RolloutService rollouts;

  DeploymentController(DeploymentRepository deployments, RolloutService rollouts) {
    this.deployments = deployments;
    this.rollouts = rollouts;
  }

  @Operation(summary = "List deployments, newest first, by target and model")
  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<Deployment> list(
      @RequestParam(required = false) String target,
      @RequestParam(required = false) String model,
      @RequestParam(defaultValue = "100") int limit) {
    return deployments.list(target, model, Math.max(1, Math.min(limit, 1000)));
  }

  @Operation(summary = "Show one deployment")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  Deployment get(@PathVariable long id) {
    return deployments.find(id).orElseThrow(() -> new NoSuchElementException("no deployment " + id));
  }

  @Operation(summary = "Approve a deployment waiting for approval")
  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/approve")
  Deployment approve(@PathVariable long id) {
    return rollouts.approve(id);
  }
}
