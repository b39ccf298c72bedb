package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.contracts.Topics;
import io.edgeloop.launcher.cli.StackInfo;
import io.edgeloop.messaging.kafka.KafkaBrokerProcess;
import io.edgeloop.messaging.kafka.TlsMaterial;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgeloop events tail} and {@code dlq list} on a broker that needs SASL_SSL (SCRAM-SHA-512)
 * and enforces ACLs (a real broker process, as messaging's {@code KafkaSecurityIT} runs it), each
 * call its own JVM through the {@code ./edgeloop} script: with the standard client keys in a file
 * ({@code --kafka-config}, {@code EDGELOOP_KAFKA_CONFIG}, or the file a stack writes into its data
 * folder), the CLI principal reads the events its ACLs allow; a wrong password, a principal without
 * ACLs and a plain connection each get one line and exit 1.
 */
class SecuredKafkaCliIT {
  private static final String CLI = "edgeloop-cli";
  private static final String CLI_PASSWORD = "cli-secret-" + System.nanoTime();

  @TempDir Path home;

  @Test
  void shouldTailEventsOverSaslAndSayInOneLineWhatTheBrokerRefused() throws Exception {
    TlsMaterial tls = TlsMaterial.create(home.resolve("tls"), List.of(CLI));
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder(home.resolve("broker"))
        .secured(tls, Map.of(CLI, CLI_PASSWORD, "intruder", "intruder-secret")).start()) {
      String sasl = broker.bootstrap("SASL");
      RunFailed failed = new RunFailed("run-sasl-1", "turbofan-rul", RunPhase.RUNNING, RunFailureReason.EXIT_CODE, "exit code 2",
          Instant.parse("2026-12-02T08:00:00Z"));
      try (Admin admin = broker.admin()) {
        admin.createTopics(Topics.all().stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        // What the README lists for the CLI: read every edgeloop topic, in groups named edgeloop-cli-*.
        admin.createAcls(List.of(
            allow(ResourceType.TOPIC, "edgeloop.", AclOperation.READ),
            allow(ResourceType.TOPIC, "edgeloop.", AclOperation.DESCRIBE),
            allow(ResourceType.GROUP, "edgeloop-cli-", AclOperation.READ))).all().get();
      }
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap("INTERNAL")),
          new StringSerializer(), new ByteArraySerializer())) {
        producer.send(new EventCodec().toRecord(failed, URI.create("urn:edgeloop:sasl-it"))).get();
      }
      String client = String.join("\n",
          "security.protocol=SASL_SSL",
          "sasl.mechanism=SCRAM-SHA-512",
          "ssl.truststore.type=PKCS12",
          "ssl.truststore.location=" + tls.truststore(),
          "ssl.truststore.password=" + TlsMaterial.PASSWORD, "");
      Path settings = Files.writeString(home.resolve("kafka.properties"), client + "bootstrap.servers=" + sasl + "\n" + jaas(CLI, CLI_PASSWORD));

      StackProcess.Result tail = StackProcess.run(home, "events", "tail", "--from-beginning", "--max", "1", "--kafka-config", settings.toString());
      assertThat(tail.exit()).as(tail.toString()).isZero();
      assertThat(tail.out()).as(tail.toString()).contains("run-sasl-1");

      StackProcess.Result byEnv = StackProcess.run(home, Map.of("EDGELOOP_KAFKA_CONFIG", settings.toString()), "events", "tail", "--from-beginning", "--max", "1");
      assertThat(byEnv.exit()).as(byEnv.toString()).isZero();
      assertThat(byEnv.out()).isEqualTo(tail.out());
      StackProcess.Result dlq = StackProcess.run(home, "dlq", "list", "-o", "json", "--kafka-config", settings.toString());
      assertThat(dlq.exit()).as(dlq.toString()).isZero();
      assertThat(dlq.out().strip()).isEqualTo("[ ]");

      // No flags: the broker from the stack's stack.json, its client settings from the file beside it.
      Path data = Files.createDirectories(home.resolve(".edgeloop"));
      StackInfo.of("sasl-it", sasl, Map.of(), null, null).write(data);
      Files.writeString(data.resolve("kafka-client.properties"), client + jaas(CLI, CLI_PASSWORD));
      StackProcess.Result noFlags = StackProcess.run(home, "events", "tail", "--from-beginning", "--max", "1");
      assertThat(noFlags.exit()).as(noFlags.toString()).isZero();
      assertThat(noFlags.out()).isEqualTo(tail.out());

      Path wrong = Files.writeString(home.resolve("wrong.properties"), client + jaas(CLI, "not-the-password"));
      StackProcess.Result refused = StackProcess.run(home, "events", "tail", "--from-beginning", "--max", "1", "--kafka", sasl, "--kafka-config", wrong.toString());
      assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err()).as(refused.toString()).matches("edgeloop: Kafka at " + sasl.replace(".", "\\.") + " refused the credentials \\(client settings from "
          + wrong.toString().replace(".", "\\.") + "\\): Authentication failed [^\n]*invalid credentials[^\n]*\n");

      Path intruder = Files.writeString(home.resolve("intruder.properties"), client + jaas("intruder", "intruder-secret"));
      StackProcess.Result denied = StackProcess.run(home, "events", "tail", "--from-beginning", "--max", "1", "--kafka", sasl, "--kafka-config", intruder.toString());
      assertThat(denied.exit()).as(denied.toString()).isEqualTo(1);
      assertThat(denied.err()).as(denied.toString()).startsWith("edgeloop: Kafka at " + sasl + " refused access (client settings from " + intruder + "): ")
          .contains("edgeloop.").endsWith("(the principal needs the ACLs the README lists for edgeloop's CLI)\n").hasLineCount(1);

      StackProcess.Result plain = StackProcess.run(home, "events", "tail", "--max", "1", "--kafka", sasl, "--data-dir", home.resolve("elsewhere").toString());
      assertThat(plain.exit()).as(plain.toString()).isEqualTo(1);
      assertThat(plain.err()).isEqualTo("edgeloop: no Kafka broker answers at " + sasl + ": is it running, and is that its address?"
          + " (a broker that needs SASL or TLS needs its client settings: --kafka-config FILE)\n");
    }
  }

  private static String jaas(String user, String password) {
    return "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";\n";
  }

  private static AclBinding allow(ResourceType type, String prefix, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
        new AccessControlEntry("User:" + CLI, "*", operation, AclPermissionType.ALLOW));
  }
}
