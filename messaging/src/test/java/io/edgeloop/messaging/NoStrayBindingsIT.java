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
 * messaging module's beans bound as functions: Spring Cloud Function binds every bean of a
 * functional type, so none of this module's beans may be one.
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
  void shouldDefineNoBeanThatCouldBeBoundAsAFunction() {
    assertThat(context.containsBean("retryingConsumers")).isTrue();
    for (String name : context.getBeanDefinitionNames()) {
      Object bean = context.getBean(name);
      if (bean.getClass().getName().startsWith("io.edgeloop.messaging")) {
        assertThat(bean).as(name)
            .isNotInstanceOfAny(java.util.function.Function.class, java.util.function.Consumer.class,
                java.util.function.Supplier.class, java.util.function.BiFunction.class);
      }
    }
  }
}
