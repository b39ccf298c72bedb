package io.edgeloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.Topics;
import io.edgeloop.launcher.demo.DemoData;
import io.edgeloop.messaging.crash.CrashPoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow (eight service JVMs on one machine, two trainings, two image builds): the whole loop with two
 * instances of every service ({@link LoopReplicas}), from files dropped into one share to a model
 * answering at the edge, then a second batch and a retrain. The end state is counted, not sampled:
 * one dataset version per good file and one quarantined original for the bad one; every run
 * requested ended once; one model version per completed run; one image per promoted version (the
 * default policy) and nothing else; one rollout per promoted version that deploy took up, none
 * attempted twice; the champion answering on both deploy instances' endpoints; nothing
 * dead-lettered by any service. Mid-retrain, the training instance running it is killed with
 * SIGKILL together with the other services' instances of its letter, and they start again (a
 * machine lost mid-run).
 */
class WholeLoopReplicasIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration STAGE = Duration.ofMinutes(8);
  private static BrokerContainer broker;
  private static PostgresContainer postgres;

  /** Kept when the test fails: every instance's log is there ({@code <service>-<a|b>.log}). */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @BeforeAll
  static void start() {
    SharedInfrastructure.start();
    broker = SharedInfrastructure.broker();
    postgres = SharedInfrastructure.postgres();
    assumeTrue(answers("http://" + LoopReplicas.REGISTRY + "/v2/"),
        "no registry at " + LoopReplicas.REGISTRY + " (`bash .ci/infra.sh` starts one): the replicas loop is skipped");
  }

  @Test
  void shouldRunTheLoopOnceWithTwoInstancesOfEveryService() throws Exception {
    loopThrough(List.of(), true, Map.of(), (loop, runsBefore) -> {
      // Mid-retrain, the instance running it is lost with the other services' instances of the same letter, and comes back.
      await().atMost(STAGE).pollInterval(Duration.ofMillis(500)).until(() ->
          data(loop, Topics.RUN_REQUESTED, RunRequested.class, r -> r.experiment().equals(loop.model)).size() > runsBefore);
      String[] owner = {null};
      await().atMost(STAGE).pollInterval(Duration.ofMillis(200)).until(() -> {
        List<Map<String, Object>> running = rows(loop, "training", "select owner from run where status in ('preparing', 'running')"
            + " and owner is not null");
        owner[0] = running.isEmpty() ? null : (String) running.get(0).get("owner");
        return owner[0] != null;
      });
      String lost = owner[0].substring("training-".length());
      System.out.printf("REPLICAS LOOP: the retrain runs on %s: instance %s of every service killed (-9) and started again%n", owner[0], lost);
      loop.killAndRestart(lost);
    });
  }

  /**
   * The one PostgreSQL server of all eight instances stopped for 30 s as the retrained model is
   * announced: packaging takes it up, and deploy its image, while or right after the database is
   * away; training's outbox relays through it. A pool timeout of 3 s (Hikari's default is 30) makes
   * calls fail during the outage instead of only waiting it out. A rollout may be attempted again
   * after the outage (its lease ran out while nobody could renew it); its effect still happens once.
   */
  @Test
  void shouldRunTheLoopOnceWhenPostgresIsStoppedFor30SecondsAsTheRetrainedModelIsAnnounced() throws Exception {
    loopThrough(List.of("--spring.datasource.hikari.connection-timeout=3000"), false, Map.of(), (loop, runsBefore) -> {
      await().atMost(STAGE).pollInterval(Duration.ofMillis(500)).until(() ->
          data(loop, Topics.MODEL_TRAINED, ModelTrained.class, m -> m.modelName().equals(loop.model)).size() > runsBefore);
      System.out.println("REPLICAS LOOP: the retrained model is announced: PostgreSQL stopped for 30 s");
      Outages.outage(postgres, Duration.ofSeconds(30));
      postgres.awaitReady(Duration.ofSeconds(60));
    });
  }

  /**
   * The broker stopped for 30 s while the retrain runs (training ends the run and registers the
   * model with nobody to announce it to; its outbox waits), then Azurite, the blob store, stopped for
   * 30 s as the retrained model is announced (packaging fetches its package and deploy's image is
   * built from it). Short producer timeouts (as the ingest outage tests set) make the calls fail during the outages
   * rather than only wait. The end state is the same, exactly once.
   */
  @Test
  void shouldRunTheLoopOnceWhenTheBrokerAndThenAzuriteAreStoppedFor30SecondsMidRetrain() throws Exception {
    loopThrough(List.of("--spring.cloud.stream.kafka.binder.producer-properties.max.block.ms=3000",
        "--spring.cloud.stream.kafka.binder.producer-properties.delivery.timeout.ms=3000",
        "--spring.cloud.stream.kafka.binder.producer-properties.request.timeout.ms=2000"), false, Map.of(), (loop, runsBefore) -> {
      String[] running = {null};
      await().atMost(STAGE).pollInterval(Duration.ofMillis(200)).until(() -> {
        List<Map<String, Object>> runs = rows(loop, "training", "select id from run where status = 'running'");
        running[0] = runs.isEmpty() ? null : String.valueOf(runs.get(0).get("id"));
        return running[0] != null;
      });
      System.out.printf("REPLICAS LOOP: the retrain %s runs: the broker stopped for 30 s%n", running[0]);
      Outages.outage(broker, Duration.ofSeconds(30));
      broker.awaitReady(Duration.ofSeconds(120));
      assertThat(loop.logs()).as("the broker really went away").containsIgnoringCase("disconnected");
      await().atMost(STAGE).pollInterval(Duration.ofMillis(500)).until(() ->
          data(loop, Topics.MODEL_TRAINED, ModelTrained.class, m -> m.modelName().equals(loop.model)).size() > runsBefore);
      System.out.println("REPLICAS LOOP: the retrained model is announced: Azurite stopped for 30 s");
      Outages.outage(loop.azurite, Duration.ofSeconds(30));
      loop.azurite.awaitReady(Duration.ofSeconds(60));
    });
  }

  /**
   * Every instance of training, packaging and deploy is given crash points, each held once by
   * whichever instance reaches it first; the holder is killed there with SIGKILL and started
   * again, and the loop goes on: training between the registry's commit and the outbox relay's
   * publish of {@code ModelTrained}, and between that publish and the row's mark (it is published
   * again, with its id); packaging mid-build (claimed, package fetched, nothing pushed), mid-push (a
   * blob uploaded, no manifest) and after the push (signed, not smoke-tested or announced); deploy with the new container ready and not yet
   * switched to, and after the switch before the outcome is recorded. All seven are reached on the
   * first model's way to the edge; the retrain then runs unharmed. The end state is the same.
   */
  @Test
  void shouldRunTheLoopOnceWithAKillAtEveryCriticalStepOfTrainingPackagingAndDeploy() throws Exception {
    Path points = Files.createDirectories(dir.resolve("crash-points"));
    Map<String, List<String>> holds = Map.of(
        "training", List.of(
            "-D" + CrashPoints.OUTBOX_BEFORE_PUBLISH + "=" + points.resolve("training-before-relay"),
            "-D" + CrashPoints.OUTBOX_AFTER_PUBLISH + "=" + points.resolve("training-after-relay-publish"),
            "-D" + CrashPoints.OUTBOX_TYPE + "=" + EventType.MODEL_TRAINED.type()),
        "packaging", List.of(
            "-Dedgeloop.packaging.test.halt-mid-build=" + points.resolve("packaging-mid-build"),
            "-Dedgeloop.packaging.test.halt-mid-push=" + points.resolve("packaging-mid-push"),
            "-Dedgeloop.packaging.test.halt-after-push=" + points.resolve("packaging-after-push")),
        "deploy", List.of(
            "-Dedgeloop.deploy.test.halt-before-switch=" + points.resolve("deploy-before-switch"),
            "-Dedgeloop.deploy.test.halt-after-deploy=" + points.resolve("deploy-after-deploy")));
    Map<String, String> killed = loopThrough(List.of(), false, holds, (loop, runsBefore) -> { });
    assertThat(killed).as("every point reached and its holder killed").containsOnlyKeys("training-before-relay",
        "training-after-relay-publish", "packaging-mid-build", "packaging-mid-push", "packaging-after-push", "deploy-before-switch", "deploy-after-deploy");
    killed.forEach((point, what) -> System.out.printf("REPLICAS LOOP: killed at %s: %s%n", point, what));
  }

  /** What a test does to the loop once the second batch is dropped; {@code runsBefore}: the runs of the first batch. */
  @FunctionalInterface
  interface MidRetrain {
    void during(LoopReplicas loop, int runsBefore) throws Exception;
  }

  /**
   * Batch 1 with a corrupted file, the champion serving on both endpoints; batch 2 and
   * {@code fault}; the retrained champion serving; the exact end state.
   */
  private Map<String, String> loopThrough(List<String> extraArgs, boolean oneAttemptPerRollout, Map<String, List<String>> holds,
      MidRetrain fault) throws Exception {
    DemoData data = DemoData.simulated(11, 40, 4);
    try (AzuriteContainer azurite = new AzuriteContainer()) {
      azurite.start();
      try (LoopReplicas loop = new LoopReplicas(dir, broker, postgres, azurite, extraArgs)) {
        holds.forEach(loop::withJvmOptions);
        loop.start();
        // The options that name a file are the points (the others, e.g. the outbox's event type, are not).
        List<Path> points = holds.values().stream().flatMap(List::stream).map(o -> Path.of(o.substring(o.indexOf('=') + 1)))
            .filter(Path::isAbsolute).toList();
        try (CrashPointWatcher watcher = new CrashPointWatcher(loop, points)) {
          Set<String> good = new TreeSet<>();
          for (DemoData.DemoFile file : data.firstBatch()) {
            drop(loop.share, file.name(), file.lines());
            good.add(file.name());
          }
          List<String> corrupted = new ArrayList<>(data.firstBatch().get(0).lines().subList(0, 20));
          corrupted.set(10, "7 112 -0.0007 0.0004 100.0 518.67 ERR#SENSOR_BUS_TIMEOUT 1589.7 1400.6 14.62");
          drop(loop.share, "gateway_dump.txt", corrupted);

          int firstChampion = awaitChampionServing(loop, 1);
          double firstAnswer = answerOnEveryEndpoint(loop, firstChampion, data);
          System.out.printf("REPLICAS LOOP: v%d serving after batch 1, answer %.2f%n", firstChampion, firstAnswer);

          int runsBefore = data(loop, Topics.RUN_REQUESTED, RunRequested.class, r -> r.experiment().equals(loop.model)).size();
          for (DemoData.DemoFile file : data.secondBatch()) {
            drop(loop.share, file.name(), file.lines());
            good.add(file.name());
          }
          fault.during(loop, runsBefore);
          int champion = awaitChampionServing(loop, firstChampion + 1);
          watcher.close();
          answerOnEveryEndpoint(loop, champion, data);
          assertExactlyOnce(loop, good, "gateway_dump.txt", champion, oneAttemptPerRollout);
          return watcher.killed();
        }
      }
    }
  }

  /**
   * Waits until every run requested so far has ended, with at least one model version above
   * {@code minVersion - 1}, and the champion (the newest version trained promoted) is deployed on the
   * target; returns the champion's version.
   */
  private int awaitChampionServing(LoopReplicas loop, int minVersion) {
    int[] champion = {0};
    await().atMost(STAGE).pollInterval(Duration.ofSeconds(2)).alias("the champion above v" + (minVersion - 1)
        + " serving; logs in " + dir + "; progress: " + new Object() {
          @Override
          public String toString() {
            return progress(loop);
          }
        }).until(() -> {
      assertAlive(loop);
      List<ModelTrained> trained = data(loop, Topics.MODEL_TRAINED, ModelTrained.class, m -> m.modelName().equals(loop.model));
      if (trained.stream().noneMatch(m -> m.modelVersion() >= minVersion) || !allRunsEnded(loop)) {
        return false;
      }
      champion[0] = trained.stream().filter(ModelTrained::promoted).mapToInt(ModelTrained::modelVersion).max().orElse(0);
      return champion[0] > 0 && data(loop, Topics.MODEL_DEPLOYED, ModelDeployed.class, d -> d.modelName().equals(loop.model)
          && d.modelVersion() == champion[0] && d.status() == DeploymentOutcome.DEPLOYED).size() >= 1;
    });
    return champion[0];
  }

  /** What has happened so far, for a failure message. */
  private String progress(LoopReplicas loop) {
    return "versions " + data(loop, Topics.DATA_LANDED, DataLanded.class, l -> l.dataset().equals(loop.dataset)).stream()
        .map(DataLanded::version).toList()
        + ", runs requested " + data(loop, Topics.RUN_REQUESTED, RunRequested.class, r -> r.experiment().equals(loop.model)).size()
        + ", failed " + data(loop, Topics.RUN_FAILED, RunFailed.class, r -> r.experiment().equals(loop.model))
        + ", trained " + data(loop, Topics.MODEL_TRAINED, ModelTrained.class, m -> m.modelName().equals(loop.model)).stream()
            .map(m -> "v" + m.modelVersion() + (m.promoted() ? "*" : "")).toList()
        + ", images " + data(loop, Topics.IMAGE_PUSHED, ImagePushed.class, i -> i.modelName().equals(loop.model)).stream()
            .map(ImagePushed::modelVersion).toList()
        + ", build failures " + Topic.events(broker.bootstrapServers(), Topics.IMAGE_BUILD_FAILED).stream().map(e -> e.data().toString())
            .filter(t -> t.contains(loop.model)).toList()
        + ", deployments " + data(loop, Topics.MODEL_DEPLOYED, ModelDeployed.class, d -> d.modelName().equals(loop.model)).stream()
            .map(d -> "v" + d.modelVersion() + " " + d.status() + " " + d.message()).toList();
  }

  private boolean allRunsEnded(LoopReplicas loop) {
    Set<String> requested = runIds(data(loop, Topics.RUN_REQUESTED, RunRequested.class, r -> r.experiment().equals(loop.model)));
    Set<String> ended = new TreeSet<>(runIds(data(loop, Topics.RUN_FAILED, RunFailed.class, r -> r.experiment().equals(loop.model))));
    ended.addAll(data(loop, Topics.MODEL_TRAINED, ModelTrained.class, m -> m.modelName().equals(loop.model)).stream()
        .map(ModelTrained::runId).toList());
    return !requested.isEmpty() && ended.containsAll(requested);
  }

  private void assertExactlyOnce(LoopReplicas loop, Set<String> good, String bad, int champion, boolean oneAttemptPerRollout)
      throws Exception {
    Thread.sleep(10_000); // a late duplicate (a redelivery, a second instance's attempt) would show by now

    List<ReceivedEvent<?>> landed = events(loop, Topics.DATA_LANDED, DataLanded.class, l -> l.dataset().equals(loop.dataset));
    Map<Long, Set<String>> landedIds = idsBy(landed, e -> ((DataLanded) e.data()).version());
    assertThat(landedIds).as("one dataset version per good file").hasSize(good.size());
    assertThat(landedIds.values()).as("one DataLanded id per version").allMatch(ids -> ids.size() == 1);
    Set<String> landedItems = landed.stream().map(e -> ((DataLanded) e.data()).source().item()).collect(Collectors.toCollection(TreeSet::new));
    assertThat(landedItems).as("the versions are the good files").isEqualTo(good);
    List<ReceivedEvent<?>> rejected = events(loop, Topics.DATA_REJECTED, DataRejected.class, r -> r.dataset().equals(loop.dataset));
    assertThat(idsBy(rejected, e -> ((DataRejected) e.data()).source().item())).as("one DataRejected, for the bad file")
        .containsOnlyKeys(bad).allSatisfy((item, ids) -> assertThat(ids).hasSize(1));
    assertThat(loop.share.resolve(".quarantine").resolve(bad)).exists();

    List<RunRequested> requested = data(loop, Topics.RUN_REQUESTED, RunRequested.class, r -> r.experiment().equals(loop.model));
    List<ModelTrained> trained = data(loop, Topics.MODEL_TRAINED, ModelTrained.class, m -> m.modelName().equals(loop.model));
    List<RunFailed> failed = data(loop, Topics.RUN_FAILED, RunFailed.class, r -> r.experiment().equals(loop.model));
    assertThat(failed).as("no run failed").isEmpty();
    Map<String, Set<Integer>> versionsByRun = trained.stream().collect(Collectors.groupingBy(ModelTrained::runId,
        Collectors.mapping(ModelTrained::modelVersion, Collectors.toSet())));
    assertThat(versionsByRun.keySet()).as("every run requested completed").isEqualTo(runIds(requested));
    assertThat(versionsByRun.values()).as("one model version per completed run").allMatch(v -> v.size() == 1);
    Set<Integer> versions = trained.stream().map(ModelTrained::modelVersion).collect(Collectors.toCollection(TreeSet::new));
    assertThat(versions).as("versions 1..n, none twice").hasSize(versionsByRun.size())
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, versionsByRun.size()).boxed().collect(Collectors.toSet()));

    Set<Integer> promoted = trained.stream().filter(ModelTrained::promoted).map(ModelTrained::modelVersion).collect(Collectors.toSet());
    List<ReceivedEvent<?>> images = events(loop, Topics.IMAGE_PUSHED, ImagePushed.class, i -> i.modelName().equals(loop.model));
    Map<Integer, Set<String>> imageIds = idsBy(images, e -> ((ImagePushed) e.data()).modelVersion());
    assertThat(imageIds.keySet()).as("an image for the champion, none for a version never promoted")
        .contains(champion).isSubsetOf(promoted);
    assertThat(imageIds.values()).as("one ImagePushed per image").allMatch(ids -> ids.size() == 1);

    List<Map<String, Object>> rollouts = rows(loop, "deploy", "select model_version, status, owner, attempts from deployment where target = '"
        + loop.target + "' order by id");
    Map<Object, Long> perVersion = rollouts.stream().collect(Collectors.groupingBy(r -> r.get("model_version"), Collectors.counting()));
    assertThat(perVersion).as("one rollout per version taken up: %s", rollouts).allSatisfy((v, n) -> assertThat(n).isEqualTo(1));
    if (oneAttemptPerRollout) {
      assertThat(rollouts).as("none attempted twice").allSatisfy(r -> assertThat(r.get("attempts")).isEqualTo(1));
    }
    assertThat(perVersion.keySet().stream().map(v -> ((Number) v).intValue()).toList()).as("only images were rolled out")
        .isSubsetOf(imageIds.keySet()).contains(champion);
    List<ModelDeployed> deployed = data(loop, Topics.MODEL_DEPLOYED, ModelDeployed.class,
        d -> d.modelName().equals(loop.model) && d.status() == DeploymentOutcome.DEPLOYED);
    assertThat(deployed.stream().map(ModelDeployed::modelVersion).toList()).as("one ModelDeployed per rollout")
        .doesNotHaveDuplicates().contains(champion);

    for (String service : List.of("ingest-service", "training-service", "packaging-service", "deploy-service")) {
      assertThat(Topic.records(broker.bootstrapServers(), Topics.deadLetters(service))).as("nothing dead-lettered by %s", service).isEmpty();
    }
    for (Map.Entry<String, ServiceProcess> instance : loop.instances.entrySet()) {
      assertThat(instance.getValue().health()).as("%s healthy", instance.getKey()).contains("\"UP\"");
    }
    System.out.printf("REPLICAS LOOP: %d files -> %d versions + 1 quarantined; %d runs -> model versions %s (promoted %s);"
        + " images %s; rollouts %s%n", good.size() + 1, landedIds.size(), requested.size(), versions, promoted, imageIds.keySet(), rollouts);
  }

  /** Both deploy instances' stable endpoints answer with the champion, the same prediction for the same engine. */
  private double answerOnEveryEndpoint(LoopReplicas loop, int version, DemoData data) throws Exception {
    Map<String, Double> answers = new HashMap<>();
    for (Map.Entry<String, Integer> endpoint : loop.edgePorts.entrySet()) {
      String base = "http://127.0.0.1:" + endpoint.getValue() + "/v2/models/" + loop.model;
      // The instance that did not roll it out learns of the container on its next probe (edgeloop.deploy.probe-interval);
      // until then its endpoint closes connections.
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() ->
          assertThat(JSON.readTree(get(base)).path("versions").toString()).as("deploy %s's endpoint serves v%d", endpoint.getKey(), version)
              .contains("\"" + version + "\""));
      answers.put(endpoint.getKey(), predictLast(base, data.testEngines().get(0).rows()));
    }
    assertThat(answers.values().stream().distinct().count()).as("one container behind both endpoints: %s", answers).isEqualTo(1);
    double answer = answers.values().iterator().next();
    assertThat(answer).as("a remaining useful life").isBetween(-50.0, 400.0);
    return answer;
  }

  private static double predictLast(String base, List<double[]> rows) throws Exception {
    JsonNode metadata = JSON.readTree(get(base));
    ObjectNode request = JSON.createObjectNode();
    ArrayNode inputs = request.putArray("inputs");
    for (JsonNode input : metadata.path("inputs")) {
      String name = input.path("name").asText();
      int column = DemoData.COLUMNS.indexOf(name);
      assertThat(column).as("the model's input %s is a C-MAPSS column", name).isNotNegative();
      ObjectNode tensor = inputs.addObject();
      tensor.put("name", name);
      tensor.put("datatype", input.path("datatype").asText());
      tensor.putArray("shape").add(rows.size());
      ArrayNode values = tensor.putArray("data");
      rows.forEach(row -> {
        if (input.path("datatype").asText().startsWith("INT")) {
          values.add((long) row[column]);
        } else {
          values.add(row[column]);
        }
      });
    }
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/infer")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("infer: %s", response.body()).isEqualTo(200);
    JsonNode out = JSON.readTree(response.body()).path("outputs").path(0).path("data");
    return out.get(out.size() - 1).asDouble();
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + url + ": " + response.body());
    }
    return response.body();
  }

  private static boolean answers(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Written beside and renamed in, as a copy tool that finishes a file does. */
  private static void drop(Path share, String name, List<String> lines) throws IOException {
    Path partial = share.resolve("." + name + ".part");
    Files.write(partial, lines);
    Files.move(partial, share.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void assertAlive(LoopReplicas loop) throws IOException {
    assertThat(loop.deadInstance()).as("every instance running").isEmpty();
  }

  private <T> List<ReceivedEvent<?>> events(LoopReplicas loop, String topic, Class<T> type, Predicate<T> mine) {
    return Topic.events(broker.bootstrapServers(), topic).stream()
        .filter(e -> type.isInstance(e.data()) && mine.test(type.cast(e.data()))).toList();
  }

  private <T> List<T> data(LoopReplicas loop, String topic, Class<T> type, Predicate<T> mine) {
    return events(loop, topic, type, mine).stream().map(e -> type.cast(e.data())).toList();
  }

  private static <K> Map<K, Set<String>> idsBy(List<ReceivedEvent<?>> events, java.util.function.Function<ReceivedEvent<?>, K> key) {
    return events.stream().collect(Collectors.groupingBy(key, Collectors.mapping(ReceivedEvent::id, Collectors.toSet())));
  }

  private static Set<String> runIds(List<?> events) {
    return events.stream().map(e -> e instanceof RunRequested r ? r.runId() : ((RunFailed) e).runId())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private List<Map<String, Object>> rows(LoopReplicas loop, String service, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl().replace("/postgres", "/" + loop.database(service)),
        postgres.username(), postgres.password());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
