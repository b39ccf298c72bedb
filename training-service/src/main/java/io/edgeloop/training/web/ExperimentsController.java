package io.edgeloop.training.web;

import io.edgeloop.contracts.RunTrigger;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.trigger.TriggerPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Configured experiments and their manual trigger. */
@RestController
@RequestMapping("/api/experiments")
@Tag(name = "experiments", description = "Configured experiments and their manual trigger")
class ExperimentsController {
  private final TrainingProperties properties;
  private final TriggerPolicy triggers;

  ExperimentsController(TrainingProperties properties, TriggerPolicy triggers) {
    this.properties = properties;
    this.triggers = triggers;
  }

  record ExperimentView(String name, String dataset, String model, String trainer, String computeTarget, long debounceMillis,
      long minNewRows, String schedule, boolean autoTrigger) {}

  record TriggerRequest(List<DatasetRef> datasets, TrainingSpec spec, String computeTarget) {}

  @Operation(summary = "List the configured experiments")
  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<ExperimentView> list() {
    return properties.experiments().stream()
        .map(e -> new ExperimentView(e.name(), e.dataset(), e.model(), e.trainingSpec().kind(), e.computeTarget(),
            e.debounce().toMillis(), e.minNewRows(), e.schedule(), e.autoTrigger()))
        .toList();
  }

  /** Requests a run now (trigger {@code manual}); answers 202 with the run id. */
  @Operation(summary = "Request a run of an experiment now (trigger manual)")
  @RequiresRole(Role.SCIENTIST)
  @PostMapping("/{name}/trigger")
  ResponseEntity<Map<String, String>> trigger(@PathVariable String name, @RequestBody(required = false) TriggerRequest body) {
    TriggerRequest r = body == null ? new TriggerRequest(null, null, null) : body;
    return ResponseEntity.accepted().body(Map.of("runId", triggers.trigger(name, RunTrigger.MANUAL, r.datasets(), r.spec(), r.computeTarget())));
  }
}
