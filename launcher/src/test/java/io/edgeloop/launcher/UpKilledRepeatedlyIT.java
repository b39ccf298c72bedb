package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.Topics;
import io.edgeloop.launcher.fleet.CmapssWriter;
import io.edgeloop.launcher.fleet.FleetSimulator;
import io.edgeloop.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "kill -9 of the whole one-command process mid-flow, three times in a row, then a normal
 * start": {@code ./edgeloop up} is killed (SIGKILL to its JVM, nothing of its shutdown runs) right
 * after a file landed, while a run trains, and right after a model was trained (packaging at work),
 * then started once more and left to finish. Every start must reach ready at the first try, and the
 * end state is counted exactly: one dataset version per good file and one quarantined bad file, every
 * run ended (none left running), one model version per registered run, one pushed image per model
 * version, and on every topic one distinct event per fact (re-deliveries keep their {@code ce_id}).
 * Slow: four starts of the whole stack and AutoML runs (about 5-8 minutes on 2 cores).
 */
class UpKilledRepeatedlyIT {
  private static final Pattern READY = Pattern.compile("edgeloop ready in ([\\d.]+) s");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ENDED = Set.of("completed", "failed", "canceled");

  @TempDir Path home;

  static {
    // This test reads the topics many times; the clients' INFO lines (a config dump per consumer) would bury its output.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka")).setLevel(ch.qos.logback.classic.Level.WARN);
  }

  @Test
  void shouldAccountForEveryInputAfterThreeKillsInARow() throws Exception {
    String prefix = "it-killed-" + Long.toHexString(System.nanoTime());
    Map<String, String> own = Map.of("EDGELOOP_PACKAGING_REPOSITORYPREFIX", prefix);
    String[] up = {"up", "--kafka-port", String.valueOf(FreePorts.block()), "--port-base", String.valueOf(FreePorts.block()),
        "-D", "edgeloop.deploy.local-target.enabled=false"};
    Path data = home.resolve(".edgeloop");
    Path share = data.resolve("shares").resolve("turbofan");
    FleetSimulator fleet = new FleetSimulator(7);
    List<String> kills = new ArrayList<>();

    // 1: a good file and a bad one land; killed as soon as the first DataLanded is on the broker.
    try (StackProcess first = StackProcess.start(home, own, up)) {
      first.awaitLine(READY, Duration.ofMinutes(8));
      Stack stack = Stack.read(data);
      writeFleet(fleet, 1, 30, share.resolve("fleet-a.txt"));
      Files.writeString(share.resolve("broken.txt"), "1 1 not-a-number\n", StandardCharsets.UTF_8);
      await("a DataLanded on the broker", Duration.ofMinutes(3), () -> !records(stack.kafka, Topics.DATA_LANDED).isEmpty());
      kills.add(killNine(first, "after the first DataLanded"));
    }
    // 2: a second good file; killed while a run trains.
    try (StackProcess second = StackProcess.start(home, own, up)) {
      second.awaitLine(READY, Duration.ofMinutes(8));
      Stack stack = Stack.read(data);
      writeFleet(fleet, 31, 60, share.resolve("fleet-b.txt"));
      await("a run training", Duration.ofMinutes(5), () -> stream(stack.get("training-service", "/api/runs?limit=1000"))
          .anyMatch(run -> run.path("status").asText().equals("running")));
      kills.add(killNine(second, "while a run trains"));
    }
    // 3: killed as soon as a model is trained (packaging builds its image then).
    try (StackProcess third = StackProcess.start(home, own, up)) {
      third.awaitLine(READY, Duration.ofMinutes(8));
      Stack stack = Stack.read(data);
      await("a ModelTrained on the broker", Duration.ofMinutes(8), () -> !records(stack.kafka, Topics.MODEL_TRAINED).isEmpty());
      kills.add(killNine(third, "right after a ModelTrained"));
    }
    // 4: a normal start, left to finish everything.
    try (StackProcess last = StackProcess.start(home, own, up)) {
      last.awaitLine(READY, Duration.ofMinutes(8));
      Stack stack = Stack.read(data);
      await("every run ended and every model version's image pushed", Duration.ofMinutes(12), () -> settled(stack));

      JsonNode dataset = stack.get("ingest-service", "/api/datasets/turbofan");
      List<Integer> versions = stream(dataset.path("versions")).map(v -> v.path("version").asInt()).sorted().toList();
      assertThat(versions).as("one dataset version per good file (%s)", kills).containsExactly(1, 2);
      assertThat(listFiles(share)).as("nothing left unprocessed in the share").isEmpty();
      assertThat(listFiles(share.resolve(".quarantine"))).as("the bad file, quarantined once").anyMatch(f -> f.startsWith("broken"));

      Map<String, Integer> landed = eventsById(stack.kafka, Topics.DATA_LANDED);
      assertThat(landed).as("one DataLanded per version, re-deliveries with the same ce_id").hasSize(2);
      assertThat(eventsById(stack.kafka, Topics.DATA_REJECTED)).as("one DataRejected for the bad file").hasSize(1);

      List<JsonNode> runs = stream(stack.get("training-service", "/api/runs?limit=1000")).toList();
      assertThat(runs).as("runs").isNotEmpty().allMatch(run -> ENDED.contains(run.path("status").asText()), "ended");
      assertThat(eventsById(stack.kafka, Topics.RUN_REQUESTED)).as("one RunRequested per run").hasSize(runs.size());
      Set<Integer> registered = new TreeSet<>();
      runs.stream().filter(run -> run.path("status").asText().equals("completed") && run.hasNonNull("modelVersion"))
          .forEach(run -> registered.add(run.path("modelVersion").asInt()));
      assertThat(registered).as("a model was trained").isNotEmpty();
      Set<Integer> modelVersions = new TreeSet<>();
      stream(stack.get("training-service", "/api/models/turbofan-rul/versions")).forEach(v -> modelVersions.add(v.path("version").asInt()));
      assertThat(modelVersions).as("one model version per completed run, none from a half run").isEqualTo(registered);
      assertThat(eventsById(stack.kafka, Topics.MODEL_TRAINED)).as("one ModelTrained per model version").hasSize(modelVersions.size());

      List<JsonNode> images = stream(stack.get("packaging-service", "/api/images")).toList();
      Map<Integer, Long> buildsPerVersion = new TreeMap<>();
      images.forEach(image -> buildsPerVersion.merge(image.path("version").asInt(), 1L, Long::sum));
      assertThat(buildsPerVersion.keySet()).as("an image build per model version").isEqualTo(modelVersions);
      assertThat(buildsPerVersion.values()).as("one build per model version").allMatch(n -> n == 1);
      assertThat(images).as("every image pushed and announced, or skipped by the packaging policy").allMatch(UpKilledRepeatedlyIT::finished);
      long pushed = images.stream().filter(i -> i.path("status").asText().equals("pushed")).count();
      assertThat(pushed).as("the first model's image at least").isPositive();
      assertThat(eventsById(stack.kafka, Topics.IMAGE_PUSHED)).as("one ImagePushed per pushed image").hasSize((int) pushed);
      assertThat(eventsById(stack.kafka, Topics.IMAGE_BUILD_FAILED)).as("no build failed").isEmpty();
      System.out.printf("up killed %s: %d dataset versions, %d runs, model versions %s, %d images%n", kills, versions.size(), runs.size(), modelVersions, images.size());
      assertThat(last.stop(Duration.ofSeconds(120))).isZero();
    }
  }

  /** Done when every run has ended and every registered model version has a pushed, announced image (two looks 5 s apart agree). */
  private static boolean settled(Stack stack) {
    try {
      String before = snapshot(stack);
      if (before == null) {
        return false;
      }
      Thread.sleep(5000);
      return before.equals(snapshot(stack));
    } catch (Exception e) {
      return false;
    }
  }

  private static String snapshot(Stack stack) throws Exception {
    List<JsonNode> runs = stream(stack.get("training-service", "/api/runs?limit=1000")).toList();
    if (runs.isEmpty() || !runs.stream().allMatch(run -> ENDED.contains(run.path("status").asText()))) {
      return null;
    }
    List<JsonNode> images = stream(stack.get("packaging-service", "/api/images")).toList();
    long registered = runs.stream().filter(run -> run.hasNonNull("modelVersion")).count();
    if (images.size() < registered || !images.stream().allMatch(UpKilledRepeatedlyIT::finished)) {
      return null;
    }
    return runs.size() + "/" + images.size() + "/" + records(stack.kafka, Topics.RUN_REQUESTED).size();
  }

  private static boolean finished(JsonNode image) {
    String status = image.path("status").asText();
    return status.equals("skipped") || status.equals("pushed") && image.path("announced").asBoolean();
  }

  /** SIGKILL to the stack's JVM (the script execs java, or runs it as its child while it writes the class data archive). */
  private static String killNine(StackProcess process, String when) throws InterruptedException {
    ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
    ProcessHandle jvm = handle.info().command().orElse("").endsWith("java") ? handle
        : handle.children().filter(c -> c.info().command().orElse("").endsWith("java")).findFirst().orElse(handle);
    jvm.destroyForcibly();
    process.kill();
    return when;
  }

  private static void writeFleet(FleetSimulator fleet, int fromUnit, int toUnit, Path file) throws Exception {
    Path part = Files.createTempFile("fleet", ".txt"); // written elsewhere, then moved in at once
    CmapssWriter.write(IntStream.rangeClosed(fromUnit, toUnit).mapToObj(fleet::engine).toList(), part);
    Files.move(part, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<String> listFiles(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  /** Every record on {@code topic}, from the beginning, read by an anonymous consumer (no group: nothing of the stack's offsets moves). */
  private static List<ConsumerRecord<String, String>> records(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (partitions.isEmpty()) {
        return List.of();
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      return out;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return List.of(); // the topic does not exist yet
    }
  }

  /** Records on {@code topic} counted by their CloudEvents id: the map's size is the number of distinct facts. */
  private static Map<String, Integer> eventsById(String bootstrap, String topic) {
    Map<String, Integer> byId = new HashMap<>();
    for (ConsumerRecord<String, String> record : records(bootstrap, topic)) {
      Header id = record.headers().lastHeader("ce_id");
      byId.merge(id == null ? "no-id:" + record.offset() : new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    return byId;
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + timeout);
      }
      Thread.sleep(1000);
    }
  }

  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RuntimeException e) {
      return false; // a service still starting, a topic not made yet
    }
  }

  /** Where the running stack listens (its stack.json) and its admin token. */
  private record Stack(String kafka, JsonNode services, String token) {
    static Stack read(Path data) throws Exception {
      JsonNode stack = JSON.readTree(data.resolve("stack.json").toFile());
      return new Stack(stack.path("kafka").asText(), stack.path("services"), Files.readString(data.resolve("admin.token")).strip());
    }

    JsonNode get(String service, String path) {
      try {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(services.path(service).asText() + path))
            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(service + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
