package io.edgeloop.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventMother;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.Topics;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.messaging.MessagingTestApp;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service talks to Kafka over SASL_SSL with SCRAM-SHA-512, or over mutual TLS, with nothing but
 * configuration, against a real broker that requires it and enforces ACLs: the service's principal
 * has exactly the ACLs the README lists for a service, and a principal without ACLs, or a client
 * without credentials, gets nothing in or out.
 */
class KafkaSecurityIT {
  static final String SERVICE = "kafka-security-test";
  static final String SERVICE_PASSWORD = "service-secret-" + System.nanoTime();
  private static KafkaBrokerProcess broker;
  private static TlsMaterial tls;

  static synchronized KafkaBrokerProcess broker() {
    if (broker == null) {
      try {
        Path dir = Path.of("target", "kafka-security-it-" + System.nanoTime()).toAbsolutePath();
        tls = TlsMaterial.create(dir.resolve("tls"), List.of(SERVICE, "intruder"));
        broker = KafkaBrokerProcess.builder(dir.resolve("broker"))
            .secured(tls, Map.of(SERVICE, SERVICE_PASSWORD, "intruder", "intruder-secret"))
            .start();
        grantServiceAcls(broker);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the secured broker", e);
      }
    }
    return broker;
  }

  /** What the README lists for one service: read what it consumes, write what it publishes, its group, its DLQ. */
  private static void grantServiceAcls(KafkaBrokerProcess broker) throws Exception {
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(new NewTopic(Topics.RUN_FAILED, 4, (short) 1), new NewTopic(Topics.deadLetters(SERVICE), 4, (short) 1),
          new NewTopic(Topics.RUN_REQUESTED, 4, (short) 1))).all().get();
      String principal = "User:" + SERVICE;
      admin.createAcls(List.of(
          acl(ResourceType.TOPIC, Topics.RUN_FAILED, PatternType.LITERAL, principal, AclOperation.READ),
          acl(ResourceType.TOPIC, Topics.RUN_FAILED, PatternType.LITERAL, principal, AclOperation.WRITE),
          acl(ResourceType.TOPIC, Topics.RUN_FAILED, PatternType.LITERAL, principal, AclOperation.DESCRIBE),
          acl(ResourceType.TOPIC, Topics.deadLetters(SERVICE), PatternType.LITERAL, principal, AclOperation.WRITE),
          acl(ResourceType.TOPIC, Topics.deadLetters(SERVICE), PatternType.LITERAL, principal, AclOperation.DESCRIBE),
          acl(ResourceType.GROUP, SERVICE, PatternType.LITERAL, principal, AclOperation.READ))).all().get();
    }
  }

  private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }

  static void commonServiceProperties(DynamicPropertyRegistry registry, String listener) {
    registry.add("edgeloop.kafka.bootstrap-servers", () -> broker().bootstrap(listener));
    registry.add("spring.cloud.stream.kafka.binder.auto-create-topics", () -> "false");
    registry.add("spring.cloud.stream.kafka.binder.configuration[ssl.truststore.location]", () -> tls.truststore().toString());
    registry.add("spring.cloud.stream.kafka.binder.configuration[ssl.truststore.password]", () -> TlsMaterial.PASSWORD);
    registry.add("spring.cloud.stream.kafka.binder.configuration[ssl.truststore.type]", () -> "PKCS12");
  }

  @AfterAll
  static void stopBroker() throws InterruptedException {
    if (broker != null) {
      broker.close();
    }
  }

  static void shouldPublishAndConsumeAsTheServicePrincipal(EventPublisher publisher, BlockingQueue<ReceivedEvent<?>> received)
      throws InterruptedException {
    RunFailed event = EventMother.runFailed();

    publisher.publish(event);

    ReceivedEvent<?> got = received.poll(60, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.data()).isEqualTo(event);
  }

  // Closed after its test: both contexts use the service's one consumer group, and a cached one would
  // take the partitions from the next.
  @Nested
  @DirtiesContext
  @SpringBootTest(
      classes = MessagingTestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.NONE,
      properties = {
        "spring.application.name=" + SERVICE,
        "spring.cloud.function.definition=sink",
        "spring.cloud.stream.bindings.sink-in-0.destination=" + Topics.RUN_FAILED,
        "spring.cloud.stream.bindings.sink-in-0.group=" + SERVICE,
        "spring.cloud.stream.kafka.binder.configuration[security.protocol]=SASL_SSL",
        "spring.cloud.stream.kafka.binder.configuration[sasl.mechanism]=SCRAM-SHA-512"
      })
  class OverSaslScram {
    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
      commonServiceProperties(registry, "SASL");
      registry.add("spring.cloud.stream.kafka.binder.configuration[sasl.jaas.config]", () ->
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + SERVICE + "\" password=\"" + SERVICE_PASSWORD + "\";");
    }

    @Autowired EventPublisher publisher;
    @Autowired MessagingTestApp app;

    @Test
    void shouldPublishAndConsume() throws Exception {
      shouldPublishAndConsumeAsTheServicePrincipal(publisher, app.received());
    }
  }

  // Closed after its test: both contexts use the service's one consumer group, and a cached one would
  // take the partitions from the next.
  @Nested
  @DirtiesContext
  @SpringBootTest(
      classes = MessagingTestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.NONE,
      properties = {
        "spring.application.name=" + SERVICE,
        "spring.cloud.function.definition=sink",
        "spring.cloud.stream.bindings.sink-in-0.destination=" + Topics.RUN_FAILED,
        "spring.cloud.stream.bindings.sink-in-0.group=" + SERVICE,
        "spring.cloud.stream.kafka.binder.configuration[security.protocol]=SSL",
        "spring.cloud.stream.kafka.binder.configuration[ssl.keystore.type]=PKCS12"
      })
  class OverMutualTls {
    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
      commonServiceProperties(registry, "MTLS");
      registry.add("spring.cloud.stream.kafka.binder.configuration[ssl.keystore.location]", () -> tls.keystore(SERVICE).toString());
      registry.add("spring.cloud.stream.kafka.binder.configuration[ssl.keystore.password]", () -> TlsMaterial.PASSWORD);
      registry.add("spring.cloud.stream.kafka.binder.configuration[ssl.key.password]", () -> TlsMaterial.PASSWORD);
    }

    @Autowired EventPublisher publisher;
    @Autowired MessagingTestApp app;

    @Test
    void shouldPublishAndConsume() throws Exception {
      shouldPublishAndConsumeAsTheServicePrincipal(publisher, app.received());
    }
  }

  @Test
  void shouldRefuseAnAuthenticatedPrincipalWithoutAcls() {
    Map<String, Object> config = saslClient("intruder", "intruder-secret");

    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      var record = new EventCodec().toRecord(EventMother.runRequested(), URI.create("urn:intruder"));
      assertThatThrownBy(() -> producer.send(record).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void shouldRefuseAClientWithAWrongPassword() {
    Map<String, Object> config = saslClient(SERVICE, "not-the-password");

    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      var record = new EventCodec().toRecord(EventMother.runFailed(), URI.create("urn:guess"));
      assertThatThrownBy(() -> producer.send(record).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static Map<String, Object> saslClient(String user, String password) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrap("SASL"));
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    config.put(SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";");
    config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
    config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TlsMaterial.PASSWORD);
    config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    return config;
  }
}
