package io.edgeloop.packaging.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.Topics;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import io.edgeloop.packaging.PackagingApplication;
import io.edgeloop.packaging.PackagingDatabase;
import io.edgeloop.packaging.RegistryApi;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow (two service start-ups): the service runs in its own JVM on a real Kafka broker, a real
 * PostgreSQL and the local registry, and is killed with SIGKILL right after it pushed and signed an
 * image and before it announced it (a test hook holds it there). Started again, it takes the build
 * over once the dead instance's lease ran out and announces the image exactly once.
 */
class PackagingCrashIT {
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldAnnounceAnImagePushedBeforeAKillExactlyOnceAfterRestart() throws Exception {
    Infrastructure.assumeRegistry();
    Infrastructure.assumeJlink();
    String model = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String database = PackagingDatabase.emptyUrl();
    Path halted = dir.resolve("halted");
    Path pkg = dir.resolve("pkg");
    ModelManifest m = ModelPackageMother.linear(pkg, model, 1, 2f, 1f, 0f);

    Process first = startService(database, prefix, halted, "first.log");
    publish(ModelPackageMother.trained(m, pkg, true));
    await().atMost(Duration.ofSeconds(180)).until(() -> Files.exists(halted) || !first.isAlive());
    assertThat(first.isAlive()).as("service died before the hook:\n%s", tail("first.log")).isTrue();

    first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
    assertThat(Files.readString(halted)).startsWith(model + "@1 pid ");
    String digest = RegistryApi.digest(prefix + "/" + model, "1");
    Thread.sleep(1000);
    assertThat(pushed(model, Duration.ofSeconds(2))).as("pushed, never announced").isEmpty();

    Process second = startService(database, prefix, null, "second.log");
    await().atMost(Duration.ofSeconds(180)).until(() -> !pushed(model, Duration.ofSeconds(1)).isEmpty() || !second.isAlive());
    assertThat(second.isAlive()).as("restarted service died:\n%s", tail("second.log")).isTrue();
    Thread.sleep(3000); // more polls: nothing else may be announced

    List<ImagePushed> announced = pushed(model, Duration.ofSeconds(2));
    assertThat(announced).hasSize(1);
    assertThat(announced.get(0).digest()).as("the rebuilt image is the same image").isEqualTo(digest);
    assertThat(Files.readString(dir.resolve("second.log"))).contains("taking over a build whose owner stopped renewing its lease");
  }

  private Process startService(String database, String prefix, Path haltSignal, String log) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:TieredStopAtLevel=1"));
    if (haltSignal != null) {
      command.add("-Dedgeloop.packaging.test.halt-after-push=" + haltSignal);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), PackagingApplication.class.getName(),
        "--server.port=0",
        "--edgeloop.data-dir=" + dir.resolve("data"),
        "--spring.datasource.url=" + database,
        "--edgeloop.kafka.bootstrap-servers=" + EdgeloopKafka.bootstrapServers(),
        "--edgeloop.packaging.registry=" + Infrastructure.REGISTRY,
        "--edgeloop.packaging.repository-prefix=" + prefix,
        "--edgeloop.packaging.smoke-test=off",
        "--edgeloop.packaging.lease=4s",
        "--edgeloop.packaging.cache-dir=" + Infrastructure.cacheDir().toAbsolutePath()));
    File logFile = dir.resolve(log).toFile();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile).start();
    processes.add(process);
    return process;
  }

  private String tail(String log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(dir.resolve(log));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static void publish(io.edgeloop.contracts.EdgeloopEvent event) throws Exception {
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(new EventCodec().toRecord(event, URI.create("urn:test:training"))).get();
    }
  }

  private static List<ImagePushed> pushed(String model, Duration timeout) {
    EventCodec codec = new EventCodec();
    return EdgeloopKafka.read(Topics.IMAGE_PUSHED, Integer.MAX_VALUE, timeout).stream()
        .map(r -> codec.decode(r.headers(), r.value()).expect(ImagePushed.class).data())
        .filter(e -> e.modelName().equals(model))
        .toList();
  }
}
