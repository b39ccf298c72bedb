package io.edgeloop.messaging;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
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

  private static MeterRegistry registry(ObjectProvider<MeterRegistry> meters) {
    return meters.getIfAvailable(SimpleMeterRegistry::new);
  }
}
