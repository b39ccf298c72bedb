package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeloop runs ...}: training runs, from the training service. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = RunsCommand.DESCRIPTION,
    subcommands = {RunsCommand.List.class, RunsCommand.Show.class, RunsCommand.Logs.class, RunsCommand.Trials.class,
        RunsCommand.Submit.class, RunsCommand.Cancel.class})
public final class RunsCommand {
  static final String DESCRIPTION = "Training runs: list, inspect, submit, cancel.";

  static final Set<String> FINISHED = Set.of("completed", "failed", "canceled");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first: status, model version and its primary metric, duration, age.")
  static final class List extends ApiCommand {
    @Option(names = "--experiment", paramLabel = "NAME", description = "Only this experiment's runs.") String experiment;
    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).") int limit;

    @Override
    int run() {
      JsonNode runs = get(Service.TRAINING, "/api/runs?limit=" + limit + (experiment == null ? "" : "&experiment=" + segment(experiment)));
      if (output.raw(runs)) {
        return 0;
      }
      Map<String, JsonNode> models = new HashMap<>();
      Table table = Table.of("ID", "EXPERIMENT", "STATUS", "TRIGGER", "MODEL", "METRIC", "TOOK", "AGE");
      for (JsonNode run : runs) {
        String model = Text.of(run, "modelName");
        String metric = "";
        if (!model.isEmpty() && run.path("modelVersion").isNumber()) {
          // One registry call per model named in the list, not one per run.
          JsonNode versions = models.computeIfAbsent(model, m -> optional(Service.TRAINING, "/api/models/" + segment(m)).path("versions"));
          metric = primaryMetric(versions, run.path("modelVersion").asInt());
        }
        table.row(Text.of(run, "id"), Text.of(run, "experiment"), status(run), Text.of(run, "trigger"),
            model.isEmpty() || !run.path("modelVersion").isNumber() ? "" : model + " v" + run.path("modelVersion").asInt(), metric,
            Text.took(run.path("startedAt"), run.path("endedAt")), Text.age(run.path("requestedAt")));
      }
      table.print(output.out());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A run: status, data, model, metrics, params, times.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    int run() {
      JsonNode detail = get(Service.TRAINING, "/api/runs/" + segment(runId), "no run '" + runId + "'");
      if (!output.raw(detail)) {
        describe(detail, output);
      }
      return 0;
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "A run's log (stdout and stderr).")
  static final class Logs extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    int run() {
      if (output.human()) {
        output.out().print(call(Service.TRAINING, "GET", "/api/runs/" + segment(runId) + "/logs").missing("no run '" + runId + "'").text());
      } else {
        output.raw(get(Service.TRAINING, "/api/runs/" + segment(runId) + "/logs", "no run '" + runId + "'"));
      }
      return 0;
    }
  }

  @Command(name = "trials", mixinStandardHelpOptions = true, description = "An AutoML run's trials: family, score, metrics, params, time.")
  static final class Trials extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    int run() {
      return list(get(Service.TRAINING, "/api/runs/" + segment(runId) + "/trials", "no run '" + runId + "'"),
          Table.of("TRIAL", "FAMILY", "SCORE", "METRICS", "TOOK", "PARAMS", "ERROR"),
          t -> new Object[] {Text.of(t, "index"), Text.of(t, "family"), Text.number(t.path("score")), Text.pairs(t.path("metrics")),
              Text.duration(Duration.ofMillis(t.path("millis").asLong())), Text.pairs(t.path("params")), Text.of(t, "error")});
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true, description = "Request a run of a configured experiment now (a manual trigger), on all its data so far.")
  static final class Submit extends ApiCommand {
    @Parameters(paramLabel = "EXPERIMENT") String experiment;

    @Option(names = "--wait", description = "Follow the run until it ends; exit 0 only when it completed.")
    boolean waitForEnd;

    @Override
    int run() throws InterruptedException {
      JsonNode submitted = call(Service.TRAINING, "POST", "/api/experiments/" + segment(experiment) + "/trigger")
          .role(Role.SCIENTIST).json();
      String runId = submitted.path("runId").asText();
      if (!waitForEnd) {
        if (!output.raw(submitted)) {
          output.line("run " + runId + " of " + experiment + " requested; follow it with: edgeloop runs show " + runId);
        }
        return 0;
      }
      if (output.human()) {
        output.line("run " + runId + " of " + experiment + " requested");
      }
      Progress progress = new Progress(System.err, "run " + runId);
      JsonNode current;
      while (true) {
        current = get(Service.TRAINING, "/api/runs/" + segment(runId), "no run '" + runId + "'");
        String status = current.path("run").path("status").asText();
        if (FINISHED.contains(status)) {
          progress.done(status);
          break;
        }
        progress.update(status);
        Thread.sleep(1000);
      }
      if (!output.raw(current)) {
        describe(current, output);
      }
      JsonNode run = current.path("run");
      if (!"completed".equals(run.path("status").asText())) {
        throw new CliException("run " + runId + " " + status(run) + (Text.of(run, "error").isEmpty() ? "" : ": " + Text.of(run, "error").lines().findFirst().orElse("")));
      }
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running run.")
  static final class Cancel extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    int run() {
      JsonNode answer = call(Service.TRAINING, "POST", "/api/runs/" + segment(runId) + "/cancel")
          .role(Role.SCIENTIST).missing("no run '" + runId + "'").json();
      if (output.raw(answer)) {
        return 0;
      }
      String status = Text.of(answer, "status");
      if (!answer.path("cancelRequested").asBoolean()) {
        throw new CliException("run " + runId + " has already ended (" + status + "): nothing to cancel");
      }
      KeyValues.create()
          .put("run", runId)
          .put("cancel", "requested")
          .put("status", "canceled".equals(status) ? "canceled" : status + " (it stops at its next check)")
          .print(output.out());
      return 0;
    }
  }

  /** A run (the training service's {@code RunDetail}) as a readable block. */
  static void describe(JsonNode detail, Output output) {
    JsonNode run = detail.path("run");
    java.util.List<String> datasets = new java.util.ArrayList<>();
    run.path("datasets").forEach(d -> datasets.add(d.asText()));
    KeyValues.create()
        .put("run", Text.of(run, "id"))
        .put("experiment", Text.of(run, "experiment"))
        .put("status", status(run))
        .put("trigger", Text.of(run, "trigger"))
        .put("trainer", Text.of(run, "trainer") + " on " + Text.of(run, "computeTarget"))
        .put("data", String.join(", ", datasets))
        .put("model", run.path("modelVersion").isNumber() ? Text.of(run, "modelName") + " v" + run.path("modelVersion").asInt() : "")
        .put("metrics", lines(detail.path("metrics")))
        .put("params", lines(detail.path("params")))
        .put("requested", Text.when(run.path("requestedAt")))
        .put("started", Text.when(run.path("startedAt")))
        .put("ended", Text.when(run.path("endedAt")))
        .put("took", Text.took(run.path("startedAt"), run.path("endedAt")))
        .put("attempt", run.path("attempt").asInt() > 1 ? run.path("attempt").asText() : "")
        .put("seed", Text.of(run, "seed"))
        .put("code", Text.of(run, "codeHash").substring(0, Math.min(12, Text.of(run, "codeHash").length())))
        .put("environment", Text.of(run, "environment"))
        .put("error", Text.of(run, "error"))
        .print(output.out());
  }

  /** {@code failed (timeout in running)} for an ended run with a reason; the status otherwise. */
  static String status(JsonNode run) {
    String reason = Text.of(run, "failureReason");
    String phase = Text.of(run, "phase");
    return Text.of(run, "status") + (reason.isEmpty() ? "" : " (" + reason + (phase.isEmpty() ? "" : " in " + phase) + ")");
  }

  /** {@code rmse=14.29} of a model version in a list of versions: its primary metric and value. */
  static String primaryMetric(JsonNode versions, int version) {
    for (JsonNode v : versions) {
      if (v.path("version").asInt() == version) {
        String metric = Text.of(v, "primaryMetric");
        return metric.isEmpty() ? "" : metric + "=" + Text.number(v.path("metrics").path(metric));
      }
    }
    return "";
  }

  private static String lines(JsonNode object) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    object.fields().forEachRemaining(e -> lines.add(e.getKey() + " = " + (e.getValue().isNumber() ? Text.number(e.getValue()) : e.getValue().asText())));
    return String.join("\n", lines);
  }
}
