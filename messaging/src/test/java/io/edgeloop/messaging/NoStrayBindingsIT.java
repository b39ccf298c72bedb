package io.edgeloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service that declares no stream function of its own (the ingest service) must not get the
 * messaging module's beans bound as functions: the dead-letter resolver is a BiFunction, and Spring
 * Cloud Function would otherwise bind it as the service's only function.
 */
@SpringBootTest(
    classes = NoStrayBindingsIT.ServiceWithoutFunctions.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"spring.application.name=no-functions", "spring.cloud.function.definition="})
class NoStrayBindingsIT {

  @Configuration
  @EnableAutoConfiguration
  static class ServiceWithoutFunctions {}

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
  }

  @Autowired ApplicationContext context;

  @Test
  void shouldNotBindTheDeadLetterResolver() {
    assertThat(context.containsBean("deadLetterDestination")).isTrue();
    assertThat(context.containsBean("deadLetterDestination-in-0")).isFalse();
  }
}
