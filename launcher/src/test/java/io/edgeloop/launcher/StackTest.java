package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class StackTest {
  @Test
  void shouldGiveTheCliTheSecuritySettingsOfTheServicesBinderWithPlaceholdersResolved() {
    StandardEnvironment environment = new StandardEnvironment();
    String prefix = "spring.cloud.stream.kafka.binder.configuration";
    environment.getPropertySources().addFirst(new MapPropertySource("-D", Map.of(
        prefix + ".security.protocol", "SASL_SSL",
        prefix + "[sasl.mechanism]", "SCRAM-SHA-512",
        prefix + "[sasl.jaas.config]", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"${KAFKA_PASSWORD}\";",
        prefix + "[ssl.truststore.location]", "/etc/edgeloop/kafka-truststore.p12",
        prefix + "[max.poll.records]", "50",
        "KAFKA_PASSWORD", "p@ss")));

    assertThat(Stack.kafkaClientSettings(environment)).isEqualTo(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p@ss\";",
        "ssl.truststore.location", "/etc/edgeloop/kafka-truststore.p12"));
    assertThat(Stack.kafkaClientSettings(new StandardEnvironment())).as("a plain broker").isEmpty();
  }
}
