package io.edgeloop.messaging;

import io.edgeloop.contracts.EventCodec;
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
      StreamBridge bridge, EventCodec codec, @Value("${spring.application.name}") String service) {
    return new EventPublisher(bridge, codec, URI.create("urn:edgeloop:" + service));
  }

  @Bean
  @ConditionalOnMissingBean
  EventReader eventReader(EventCodec codec) {
    return new EventReader(codec);
  }
}
