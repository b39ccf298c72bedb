package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeloop runs ...}: training runs, from the training service. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Training runs: list, inspect, submit, cancel.",
    subcommands = {RunsCommand.List.class, RunsCommand.Show.class, RunsCommand.Logs.class, RunsCommand.Trials.class,
        RunsCommand.Submit.class, RunsCommand.Cancel.class})
public final class RunsCommand {
  static final Set<String> FINISHED = Set.of("completed", "failed", "canceled", "COMPLETED", "FAILED", "CANCELED");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
  static final class List implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.training, "/api/runs"), System.out);
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A run with its params, metrics and artifacts.")
  static final class Show implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.training, "/api/runs/" + runId), System.out);
      return 0;
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "A run's log (stdout and stderr).")
  static final class Logs implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    public Integer call() throws Exception {
      System.out.print(new ApiClient().getText(urls.training, "/api/runs/" + runId + "/logs"));
      return 0;
    }
  }

  @Command(name = "trials", mixinStandardHelpOptions = true, description = "An AutoML run's trials: family, params, metrics, score, time.")
  static final class Trials implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.training, "/api/runs/" + runId + "/trials"), System.out);
      return 0;
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true, description = "Trigger a run of a configured experiment (a manual trigger).")
  static final class Submit implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(paramLabel = "EXPERIMENT") String experiment;

    @Option(names = "--wait", description = "Follow the run with a progress line until it ends.")
    boolean waitForEnd;

    @Override
    public Integer call() throws Exception {
      ApiClient api = new ApiClient();
      JsonNode run = api.post(urls.training, "/api/experiments/" + experiment + "/trigger", Map.of());
      if (!waitForEnd) {
        output.print(run, System.out);
        return 0;
      }
      String runId = run.path("runId").asText(run.path("id").asText());
      Progress progress = new Progress(System.out, "run " + runId);
      while (true) {
        JsonNode current = api.get(urls.training, "/api/runs/" + runId);
        String status = current.path("status").asText();
        progress.update(status);
        if (FINISHED.contains(status)) {
          progress.done(status);
          output.print(current, System.out);
          return status.equalsIgnoreCase("completed") ? 0 : 1;
        }
        Thread.sleep(Duration.ofSeconds(1).toMillis());
      }
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running run.")
  static final class Cancel implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(paramLabel = "RUN_ID") String runId;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().post(urls.training, "/api/runs/" + runId + "/cancel", null), System.out);
      return 0;
    }
  }
}
