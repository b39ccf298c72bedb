package io.edgeloop.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.launcher.Stack;
import io.edgeloop.launcher.StackSettings;
import io.edgeloop.launcher.cli.ApiClient;
import io.edgeloop.launcher.cli.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgeloop demo}: the loop, end to end, on embedded defaults. Starts everything, drops the
 * first batch (and one corrupted file) into the edge share, follows the events until a model serves
 * at the edge target, scores held-out engines through that endpoint, drops the second batch and
 * follows the retrain and the champion decision, then prints one summary line of measured values.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the whole loop once and print what it measured.")
public final class DemoCommand implements Callable<Integer> {
  static final String MODEL = "turbofan-rul";
  static final String TARGET = "edge-local";

  @Option(names = "--data", paramLabel = "DIR", description = "Use real C-MAPSS files from DIR (train_/test_/RUL_<subset>.txt[.gz]) instead of the simulator.")
  Path cmapssDir;

  @Option(names = "--subset", defaultValue = "FD001", description = "C-MAPSS subset with --data (default ${DEFAULT-VALUE}).")
  String subset;

  @Option(names = "--engines", defaultValue = "60", description = "Simulated engines run to failure, fed in two batches (default ${DEFAULT-VALUE}).")
  int engines;

  @Option(names = "--test-engines", defaultValue = "40", description = "Simulated held-out engines to score (default ${DEFAULT-VALUE}).")
  int testEngines;

  @Option(names = "--seed", defaultValue = "7", description = "Simulator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--conditions", defaultValue = "1", description = "Operating conditions the simulated fleet flies, 1-6 (C-MAPSS FD002/FD004 have 6; default ${DEFAULT-VALUE}).")
  int conditions;

  @Option(names = "--fault-modes", defaultValue = "1", description = "Fault modes the simulated engines fail by, 1 or 2 (FD003/FD004 have 2; default ${DEFAULT-VALUE}).")
  int faultModes;

  @Option(names = "--data-dir", description = "Where this demo keeps its data (default: a new folder under .edgeloop/demo/).")
  Path dataDir;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "Longest wait for one stage, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration stageTimeout;

  @Option(names = "--in-process", description = "Serve in-process even when a Docker engine is reachable.")
  boolean forceInProcess;

  @Option(names = {"-D", "--property"}, paramLabel = "KEY=VALUE", description = "Any service configuration key.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(names = "--keep-running", description = "Keep everything running after the summary (explore with the CLI, Prometheus, Grafana) until Ctrl-C.")
  boolean keepRunning;

  @Option(names = "--port-base", defaultValue = "18080", description = "Services listen on base+1..base+4 (default ${DEFAULT-VALUE}, away from `up`'s).")
  int portBase;

  /** What a caller (a test, --keep-running) does with the stack once the loop has run, before it stops. */
  public interface AfterLoop {
    void run(Stack stack, String servingUrl, String summary) throws Exception;
  }

  private AfterLoop afterLoop = (stack, url, summary) -> {
    if (keepRunning) {
      say("still running: services on 127.0.0.1:" + (portBase + 1) + "-" + (portBase + 4) + ", model at " + url + "; Ctrl-C to stop");
      java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
      io.edgeloop.launcher.Signals.onTermination(stop::countDown);
      stop.await();
    }
  };

  /** Runs the demo with these options and hands the live stack to {@code afterLoop} before stopping it. */
  public static String run(AfterLoop afterLoop, String... args) throws Exception {
    DemoCommand demo = new DemoCommand();
    new picocli.CommandLine(demo).parseArgs(args);
    demo.afterLoop = afterLoop;
    return demo.loop();
  }

  private long started;

  @Override
  public Integer call() throws Exception {
    loop();
    return 0;
  }

  /** The whole demo; returns the summary line. */
  String loop() throws Exception {
    started = System.nanoTime();
    DemoData data = cmapssDir != null ? DemoData.cmapss(cmapssDir, subset)
        : DemoData.simulated(seed, engines, testEngines, conditions, faultModes);
    Path dir = dataDir != null ? dataDir : Path.of(".edgeloop", "demo", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    say("data: " + data.description());
    say("data dir: " + dir.toAbsolutePath());

    DemoEdge edge = forceInProcess ? DemoEdge.inProcess("--in-process was given") : DemoEdge.detect(dir);
    say(edge.describe());
    Map<String, String> serviceProperties = new LinkedHashMap<>(edge.serviceProperties());
    // The demo writes each file beside the share and renames it into place, so ingest may treat a
    // file as complete after a short settle time.
    String sharePath = dir.resolve("shares").resolve("turbofan").toAbsolutePath().toString();
    serviceProperties.putAll(Map.of(
        "edgeloop.ingest.shares[0].name", "turbofan",
        "edgeloop.ingest.shares[0].path", sharePath,
        "edgeloop.ingest.shares[0].dataset", "turbofan",
        "edgeloop.ingest.shares[0].format.preset", "cmapss",
        "edgeloop.ingest.shares[0].settle-time", "1s",
        "edgeloop.ingest.shares[0].poll-interval", "500ms"));
    if (cmapssDir != null) {
      serviceProperties.putAll(ExperimentOverride.fromResource("cmapss-experiment.yaml"));
      say("experiment spec: automl's C-MAPSS reference spec (launcher/src/main/resources/io/edgeloop/launcher/demo/cmapss-experiment.yaml)");
    }
    serviceProperties.putAll(properties);

    try (Stack stack = Stack.start(new StackSettings(null, 0, dir, portBase, "WARN", serviceProperties), System.out);
        EventFollower events = new EventFollower(stack.bootstrapServers(), this::progress);
        edge) {
      stack.awaitHealthy(Duration.ofMinutes(3));
      say("edgeloop ready; admin token in " + stack.tokenFile() + " (the CLI: EDGELOOP_DATA_DIR=" + dir.toAbsolutePath() + " ./edgeloop runs list)");
      Path share = Files.createDirectories(dir.resolve("shares").resolve("turbofan"));

      // Batch 1, and one corrupted file among the generated ones.
      long batch1At = System.nanoTime();
      drop(share, data.firstBatch().get(0));
      drop(share, DemoData.corrupted(data.firstBatch().get(0).lines()));
      for (DemoData.DemoFile file : data.firstBatch().subList(1, data.firstBatch().size())) {
        drop(share, file);
      }
      events.await(DataRejected.class, r -> r.source().item() != null && r.source().item().contains("gateway_dump"), stageTimeout, "quarantine of the corrupted file");
      ModelTrained first = events.await(ModelTrained.class, m -> m.modelName().equals(MODEL), stageTimeout, "a trained model");
      Serving serving = edge.serve(events, first, stageTimeout, stack);
      double dataToServing = seconds(batch1At);
      say(String.format(Locale.ROOT, "serving %s v%d at %s (%.1f s after the first file landed)", MODEL, first.modelVersion(), serving.url(), dataToServing));
      List<double[]> scores1 = score(serving, data);
      say(String.format(Locale.ROOT, "held-out engines through the edge endpoint: rmse=%.2f phm08=%.0f (%d engines)", Scores.rmse(scores1), Scores.phm08(scores1), scores1.size()));

      // Batch 2: retrain, champion decision, and (if promoted) the new version at the edge.
      long batch2At = System.nanoTime();
      for (DemoData.DemoFile file : data.secondBatch()) {
        drop(share, file);
      }
      ModelTrained second = events.await(ModelTrained.class, m -> m.modelName().equals(MODEL) && m.modelVersion() > first.modelVersion(), stageTimeout, "the retrained model");
      say("champion decision: v" + second.modelVersion() + " (" + second.tags().getOrDefault("path", "?") + ", "
          + second.tags().getOrDefault("path.reason", "?") + ") " + gate(second));
      Serving finalServing = serving;
      if (second.promoted()) {
        finalServing = edge.serve(events, second, stageTimeout, stack);
      }
      double retrainToServing = seconds(batch2At);
      List<double[]> scores = second.promoted() ? score(finalServing, data) : scores1;
      say(String.format(Locale.ROOT, "final model v%d at %s: rmse=%.2f phm08=%.0f", finalServing.version(), finalServing.url(), Scores.rmse(scores), Scores.phm08(scores)));

      // Every version gets an image where a registry is reachable; the second one's upload is the
      // figure of interest (only its model layer should travel).
      ImagePushed secondImage = edge.buildsImages()
          ? events.await(ImagePushed.class, i -> i.modelName().equals(MODEL) && i.modelVersion() == second.modelVersion(), stageTimeout, "the image of v" + second.modelVersion())
          : null;
      ImagePushed finalImage = events.find(ImagePushed.class, i -> i.modelName().equals(MODEL) && i.modelVersion() == servingVersion(second, first)).orElse(null);
      String v2PushedKb = secondImage == null ? "n/a" : pushedKb(stack, second.modelVersion());
      int quarantined = events.all(DataRejected.class).size();
      // the demo's URLs (the deploy service's stable port, an in-process server) stop with it; a
      // container it deployed keeps serving on its own published port
      String lasting = edge.targetKind().equals("docker") ? LastingEndpoint.of(MODEL, finalServing.version()).orElse("none") : "none";
      say(lasting.equals("none")
          ? "after the demo exits nothing serves the model (" + (edge.targetKind().equals("docker") ? "no serving container found" : "it served in-process") + ")"
          : "after the demo exits, v" + finalServing.version() + " keeps serving at " + lasting + " (its container outlives the demo)");
      String summary = String.format(Locale.ROOT,
          "demo: model=%s version=%d target=%s rmse=%.2f phm08=%.0f data_to_serving_s=%.1f retrain_to_serving_s=%.1f retrain_path=%s promoted=%s image_mb=%s v2_pushed_kb=%s quarantined=%d serving_url=%s",
          MODEL, finalServing.version(), edge.targetKind(), Scores.rmse(scores), Scores.phm08(scores), dataToServing, retrainToServing,
          second.tags().getOrDefault("path", "n/a"), second.promoted() ? "yes" : "no",
          finalImage == null ? "n/a" : String.format(Locale.ROOT, "%.1f", finalImage.sizeBytes() / 1e6),
          v2PushedKb, quarantined, lasting);
      System.out.println(summary);
      afterLoop.run(stack, finalServing.url(), summary);
      return summary;
    }
  }

  private static int servingVersion(ModelTrained second, ModelTrained first) {
    return second.promoted() ? second.modelVersion() : first.modelVersion();
  }

  /** Bytes the packaging service uploaded for {@code version}'s image, from its REST API (as the CLI reads it). */
  private static String pushedKb(Stack stack, int version) {
    for (JsonNode build : ApiClient.of(stack.tokenFile()).get(Service.PACKAGING, stack.url(Service.PACKAGING.id()), "/api/images")) {
      if (build.path("model").asText().equals(MODEL) && build.path("version").asInt() == version && build.path("status").asText().equalsIgnoreCase("pushed")) {
        return String.format(Locale.ROOT, "%.1f", build.path("pushedBytes").asLong() / 1024.0);
      }
    }
    return "n/a";
  }

  private List<double[]> score(Serving serving, DemoData data) throws IOException, InterruptedException {
    OipClient client = new OipClient(serving.url());
    JsonNode metadata = client.metadata(MODEL);
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    metadata.path("inputs").forEach(input -> {
      names.add(input.path("name").asText());
      types.add(input.path("datatype").asText());
    });
    List<double[]> predictedAndTrue = new ArrayList<>();
    for (DemoData.TestEngine engine : data.testEngines()) {
      double predicted = client.predictLast(MODEL, names, types, engine.rows(), DemoData.COLUMNS);
      predictedAndTrue.add(new double[] {predicted, engine.trueRul()});
    }
    return predictedAndTrue;
  }

  /** Writes beside the share's files and renames into place: the share sees only complete files. */
  private void drop(Path share, DemoData.DemoFile file) throws IOException {
    Path tmp = share.resolve("." + file.name() + ".tmp");
    Files.write(tmp, (String.join("\n", file.lines()) + "\n").getBytes(StandardCharsets.US_ASCII));
    Files.move(tmp, share.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
    say("dropped " + file.name() + " (" + file.lines().size() + " rows) into the share");
  }

  private void progress(ReceivedEvent<?> event) {
    say(io.edgeloop.launcher.cli.EventText.describe(event.data()));
  }

  /**
   * The gate's decision in one line, as the registry recorded it (the values it compared, on the
   * same held-out units); the versions' own metrics when the event carries no such line.
   */
  static String gate(ModelTrained trained) {
    String line = trained.tags().get("gate");
    if (line != null) {
      return line;
    }
    return (trained.promoted() ? "PROMOTED" : "not promoted") + " (" + trained.primaryMetric() + " "
        + fmt(trained.metrics().get(trained.primaryMetric())) + " on its own validation)";
  }

  private static String fmt(Double value) {
    return value == null ? "?" : String.format(Locale.ROOT, "%.3f", value);
  }

  private void say(String message) {
    System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds(started), message);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** Where a version serves. */
  record Serving(String url, int version, AutoCloseable resource) {}

}
