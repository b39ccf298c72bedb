package io.edgeloop.messaging;

import io.edgeloop.contracts.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.messaging.retry.RetryingConsumers;
import java.time.Duration;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/**
 * Beans every service gets by depending on this module: the codec, a publisher, a reader, the
 * consumers' retry and dead-letter handling, and the background-loop runner.
 */
@AutoConfiguration
@EnableConfigurationProperties(MessagingProperties.class)
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
      ObjectProvider<MeterRegistry> meters,
      MessagingProperties properties) {
    return new EventPublisher(bridge, codec, URI.create("urn:edgeloop:" + service), registry(meters), properties.maxEventBytes());
  }

  @Bean
  @ConditionalOnMissingBean
  EventReader eventReader(EventCodec codec, ObjectProvider<MeterRegistry> meters) {
    return new EventReader(codec, registry(meters));
  }

  /** Retries in the listener container with backoff; poison and exhausted records to {@code edgeloop.dlq.<service>}. */
  @Bean
  @ConditionalOnMissingBean(ListenerContainerCustomizer.class)
  RetryingConsumers retryingConsumers(StreamBridge bridge, MessagingProperties properties, ObjectProvider<MeterRegistry> meters) {
    return new RetryingConsumers(bridge, properties.retry(), registry(meters));
  }

  /** The service's background loops, reported on {@code /actuator/health} as {@code pollLoops}. */
  @Bean
  @ConditionalOnMissingBean
  PollLoops pollLoops() {
    return new PollLoops(Duration.ofSeconds(60), Duration.ofMinutes(2));
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
