package io.edgeloop.messaging;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/** Beans every service gets by depending on this module: the codec, a publisher and a reader. */
@AutoConfiguration
public class MessagingConfiguration {

  @Bean
  @ConditionalOnMissingBean
  EventCodec eventCodec() {
    return new EventCodec();
  }

  @Bean
  @ConditionalOnMissingBean
  EventPublisher eventPublisher(
      StreamBridge bridge,
      EventCodec codec,
      @Value("${spring.application.name}") String service,
      ObjectProvider<MeterRegistry> meters) {
    return new EventPublisher(bridge, codec, URI.create("urn:edgeloop:" + service), registry(meters));
  }

  @Bean
  @ConditionalOnMissingBean
  EventReader eventReader(EventCodec codec, ObjectProvider<MeterRegistry> meters) {
    return new EventReader(codec, registry(meters));
  }

  /**
   * Every dead-lettered record goes to {@code edgeloop.dlq.<service>} and is counted, so operators
   * can alert on poison input without reading the topic.
   */
  @Bean
  @ConditionalOnMissingBean
  DlqDestinationResolver deadLetterDestination(
      @Value("${spring.application.name}") String service, ObjectProvider<MeterRegistry> meters) {
    MeterRegistry registry = registry(meters);
    String topic = Topics.deadLetters(service);
    return (record, error) -> {
      registry.counter("edgeloop.events.dead.lettered", "binding", record.topic()).increment();
      return topic;
    };
  }

  /**
   * Dead-letter counters exist from the start, at 0, for every topic this service consumes: a
   * dashboard or alert then sees "no dead letters" rather than "no data".
   */
  @Bean
  SmartInitializingSingleton deadLetterCountersAtZero(
      BindingServiceProperties bindings, ObjectProvider<MeterRegistry> meters) {
    return () -> {
      MeterRegistry registry = registry(meters);
      bindings.getBindings().forEach((name, binding) -> {
        if (name.contains("-in-") && binding.getDestination() != null) {
          for (String topic : binding.getDestination().split(",")) {
            registry.counter("edgeloop.events.dead.lettered", "binding", topic.trim());
          }
        }
      });
    };
  }

  private static MeterRegistry registry(ObjectProvider<MeterRegistry> meters) {
    return meters.getIfAvailable(SimpleMeterRegistry::new);
  }
}
