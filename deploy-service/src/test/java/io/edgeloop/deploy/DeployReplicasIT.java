package io.edgeloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.deploy.docker.EngineProxy;
import io.edgeloop.deploy.docker.InferLoad;
import io.edgeloop.deploy.docker.ModelServerImages;
import io.edgeloop.deploy.docker.TestImages;
import io.edgeloop.deploy.trust.TestSigningKey;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.messaging.EdgeloopKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.edgeloop.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two deploy-service instances on one database and one consumer group, on the real Docker
 * engine, the real broker and a real PostgreSQL: they split the rollouts with none done twice, a
 * redelivered or re-announced event does nothing, the start of one instance leaves another live
 * instance's rollout alone, and the rollout of an instance killed with SIGKILL (a separate JVM) is
 * taken over once its lease has expired, and only then. Each test has its own database, consumer
 * group and ImagePushed topic (the binding's destination, overridden), so nothing else on the shared
 * broker reaches it.
 */
class DeployReplicasIT {
  private static final String RUN = "rep" + UUID.randomUUID().toString().substring(0, 6);
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static EmbeddedPostgres postgres;
  private static Path work;
  private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

  @BeforeAll
  static void infrastructure() throws Exception {
    String why = ModelServerImages.unavailable();
    assumeTrue(why == null, () -> "deploy-service replicas IT skipped: " + why);
    TestImages.build();
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    work = Files.createTempDirectory("deploy-replicas-it");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    ModelServerImages.removeTestContainers(RUN);
    TestImages.removeFromEngine();
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * Closes the instances. Not right after they start: Spring Cloud Stream's Kafka binder 4.3.1 can
   * deadlock when a context closes while its consumer-lag metric is computed for the first time
   * ({@code KafkaBinderMetrics.close} against its own scheduled task); the tests run long enough.
   */
  @org.junit.jupiter.api.AfterEach
  void stopInstances() {
    instances.forEach(ConfigurableApplicationContext::close);
    instances.clear();
  }

  @Test
  void shouldSplitRolloutsBetweenInstancesWithoutDoingAnyTwiceOrTakingALiveInstancesRollout() throws Exception {
    Setup setup = new Setup("split", 4);
    instances.add(setup.start("a"));
    ImagePushed v1 = setup.push(TestImages.v1());
    Map<String, Object> runningWhenBStarted = awaitRow(setup, "status = 'running'");
    instances.add(setup.start("b")); // starts while a rolls out
    Map<String, Object> afterStart = row(setup, "id = " + runningWhenBStarted.get("id"));
    assertThat(afterStart.get("owner")).as("the start of b leaves it to its live owner").isEqualTo("a");
    assertThat(afterStart.get("attempts")).isEqualTo(1);
    setup.publish(v1); // redelivered as it was
    setup.publish(new ImagePushed(v1.modelName(), v1.modelVersion(), v1.imageReference(), v1.digest(), v1.sizeBytes(),
        v1.labels(), true, List.of(ModelPromoted.CHAMPION), Instant.now())); // re-announced later: the same natural key

    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
        rows(setup, "status = 'deployed'").size() == 4 && rows(setup, "status <> 'deployed'").isEmpty());
    Thread.sleep(1_500); // the re-announcements have arrived by now; they must plan nothing
    List<Map<String, Object>> rows = rows(setup, "true");
    assertThat(rows).hasSize(4);
    assertThat(rows).extracting(r -> r.get("target")).containsExactlyInAnyOrderElementsOf(setup.targets.keySet());
    assertThat(rows).allSatisfy(r -> assertThat(r.get("attempts")).as("%s", r).isEqualTo(1));
    assertThat(rows.stream().map(r -> r.get("owner")).distinct().count()).as("the rollouts were split: %s", rows)
        .isGreaterThan(1);
    System.out.printf("REPLICAS: rollouts per instance %s%n", rows.stream()
        .collect(java.util.stream.Collectors.groupingBy(r -> r.get("owner"), java.util.stream.Collectors.counting())));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deployedEvents(setup)).hasSize(4));
    for (String target : setup.targets.keySet()) {
      assertThat(containers(target)).as("one container on %s", target).hasSize(1);
      for (int port : setup.targets.get(target).values()) {
        // each instance's stable port follows the container, whichever instance started it
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
            assertThat(InferLoad.inferOnce(port, TestImages.MODEL)).isEqualTo(TestImages.answer(TestImages.V1_WEIGHT)));
      }
    }
  }

  @Test
  void shouldTakeOverTheRolloutOfAKilledInstanceOnlyAfterItsLeaseExpired() throws Exception {
    Setup setup = new Setup("kill", 1);
    String target = setup.targets.keySet().iterator().next();
    try (EngineProxy engine = new EngineProxy(Path.of("/var/run/docker.sock"))) {
      setup.hosts.put("k", engine.host()); // k reaches the engine through an endpoint the test can make hang
      Process killed = setup.startProcess("k");
      try {
        setup.push(TestImages.v1());
        awaitRow(setup, "model_version = 1 and status = 'deployed'");
        setup.push(TestImages.v2());
        Map<String, Object> running = awaitRow(setup, "model_version = 2 and status = 'running'");
        assertThat(running.get("owner")).isEqualTo("k");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> containers(target).size() == 2);
        engine.pause(); // k is now in the middle of its rollout, waiting for the engine

        instances.add(setup.start("b"));
        assertThat(row(setup, "id = " + running.get("id"))).as("b's start leaves k's live rollout alone")
            .containsEntry("status", "running").containsEntry("owner", "k").containsEntry("attempts", 1);

        killed.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no hand-back
        Instant leaseUntil = ((Timestamp) row(setup, "id = " + running.get("id")).get("lease_until")).toInstant();
        System.out.printf("KILLED k at %s, its lease ran until %s%n", Instant.now(), leaseUntil);
        while (Instant.now().isBefore(leaseUntil.minusMillis(300))) {
          assertThat(row(setup, "id = " + running.get("id"))).as("not taken over before the lease ran out")
              .containsEntry("status", "running").containsEntry("owner", "k");
          Thread.sleep(200);
        }
        Map<String, Object> done = awaitRow(setup, "id = " + running.get("id") + " and status = 'deployed'");
        assertThat(done).containsEntry("owner", "b").containsEntry("attempts", 2);
        assertThat(((Timestamp) done.get("finished_at")).toInstant()).isAfter(leaseUntil);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(containers(target)).as("k's half-made container and the old v1 are gone").hasSize(1));
        assertThat(InferLoad.inferOnce(setup.targets.get(target).get("b"), TestImages.MODEL))
            .isEqualTo(TestImages.answer(TestImages.V2_WEIGHT));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(deployedEvents(setup)).extracting(ModelDeployed::modelVersion).containsExactly(1, 2));
      } finally {
        killed.destroyForcibly();
        engine.resume();
      }
    }
  }

  // --- helpers

  /** One test's world: its database, topic, consumer group and targets (with one stable port per instance). */
  private final class Setup {
    final String name;
    final String database;
    final String topic;
    /** target -> instance -> its stable port there */
    final Map<String, Map<String, Integer>> targets = new LinkedHashMap<>();
    /** instance -> the engine endpoint it uses (default: the engine's socket) */
    final Map<String, String> hosts = new LinkedHashMap<>();

    Setup(String test, int targetCount) throws Exception {
      this.name = test;
      this.database = RUN + "_" + test;
      this.topic = "edgeloop.image-pushed." + RUN + "-" + test;
      try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
          Statement s = c.createStatement()) {
        s.execute("create database " + database);
      }
      for (int i = 1; i <= targetCount; i++) {
        targets.put(RUN + "-" + test + "-" + i, new LinkedHashMap<>());
      }
    }

    String jdbcUrl() {
      return postgres.getJdbcUrl("postgres", database);
    }

    List<String> arguments(String instance) throws IOException {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("spring.application.name", "deploy-service");
      p.put("server.port", "0");
      p.put("spring.datasource.url", jdbcUrl());
      p.put("spring.datasource.username", "postgres");
      p.put("edgeloop.kafka.bootstrap-servers", EdgeloopKafka.bootstrapServers());
      p.put("spring.cloud.stream.bindings.onImagePushed-in-0.destination", topic);
      p.put("spring.cloud.stream.bindings.onImagePushed-in-0.group", "deploy-" + RUN + "-" + name);
      p.put("spring.cloud.stream.bindings.onModelPromoted-in-0.group", "deploy-" + RUN + "-" + name);
      p.put("edgeloop.data-dir", work.resolve(name + "-" + instance).toString());
      p.put("edgeloop.stack-id", RUN);
      p.put("edgeloop.deploy.instance-id", instance);
      p.put("edgeloop.deploy.lease", LEASE.toMillis() + "ms");
      p.put("edgeloop.deploy.tick", "200ms");
      p.put("edgeloop.deploy.probe-interval", "1s");
      p.put("edgeloop.deploy.local-target.enabled", "false");
      p.put("edgeloop.deploy.policy.staged", "false");
      p.put("edgeloop.deploy.trust.repositories", "edgeloop-test/*");
      p.put("edgeloop.deploy.trust.signing-keys", TestSigningKey.publicKeyFile());
      int i = 0;
      for (Map.Entry<String, Map<String, Integer>> target : targets.entrySet()) {
        String prefix = "edgeloop.deploy.targets[" + i++ + "].";
        int port = FreePorts.next();
        target.getValue().put(instance, port);
        p.put(prefix + "name", target.getKey());
        p.put(prefix + "kind", "docker");
        p.put(prefix + "connection.port", Integer.toString(port));
        p.put(prefix + "connection.host", hosts.getOrDefault(instance, "unix:///var/run/docker.sock"));
        p.put(prefix + "connection.drain", "500ms");
        p.put(prefix + "connection[label." + ModelServerImages.TEST_LABEL + "]", RUN);
      }
      return p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    ConfigurableApplicationContext start(String instance) throws IOException {
      return DeployApplication.start(arguments(instance).toArray(String[]::new));
    }

    /** An instance in a JVM of its own, so that it can be killed for real. */
    Process startProcess(String instance) throws Exception {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
          DeployApplication.class.getName()));
      int port = FreePorts.next();
      command.addAll(arguments(instance).stream().map(a -> a.startsWith("--server.port=") ? "--server.port=" + port : a).toList());
      File log = work.resolve(name + "-" + instance + ".log").toFile();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
        assertThat(process.isAlive()).as("instance %s exited; see %s", instance, log).isTrue();
        try {
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        }
      });
      return process;
    }

    ImagePushed push(Release release) throws Exception {
      ImagePushed event = new ImagePushed(release.modelName(), release.modelVersion(), release.imageReference(),
          release.digest(), 1, Map.of(), true, List.of(ModelPromoted.CHAMPION), Instant.now());
      publish(event);
      return event;
    }

    void publish(EdgeloopEvent event) throws Exception {
      ProducerRecord<String, byte[]> record = new EventCodec().toRecord(event, URI.create("urn:test:packaging"));
      try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
        producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers())).get();
      }
    }
  }

  private static List<Map<String, Object>> rows(Setup setup, String where) throws Exception {
    try (Connection c = DriverManager.getConnection(setup.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, target, model_version, status, owner, attempts, lease_until, finished_at"
            + " from deployment where " + where + " order by id")) {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static Map<String, Object> row(Setup setup, String where) throws Exception {
    List<Map<String, Object>> rows = rows(setup, where);
    assertThat(rows).as("rows where %s", where).hasSize(1);
    return rows.get(0);
  }

  private static Map<String, Object> awaitRow(Setup setup, String where) {
    List<Map<String, Object>> found = new ArrayList<>();
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
      found.clear();
      found.addAll(rows(setup, where));
      return !found.isEmpty();
    });
    return found.get(0);
  }

  private static List<ModelDeployed> deployedEvents(Setup setup) {
    EventCodec codec = new EventCodec();
    return EdgeloopKafka.read("edgeloop.model-deployed", 1_000, Duration.ofSeconds(3)).stream()
        .map(r -> codec.decode(r.headers(), r.value()).expect(ModelDeployed.class).data())
        .filter(e -> setup.targets.containsKey(e.target()) && e.status() == DeploymentOutcome.DEPLOYED)
        .toList();
  }

  private static List<String> containers(String target) {
    return ModelServerImages.output(List.of("docker", "ps", "-aq", "--filter", "label=io.edgeloop.stack=" + RUN,
        "--filter", "label=io.edgeloop.deploy.target=" + target)).lines().filter(l -> !l.isBlank()).toList();
  }

}
