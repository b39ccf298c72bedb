package io.edgeloop.packaging.messaging;

import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.messaging.EventReader;
import io.edgeloop.packaging.builds.BuildRequests;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The events this service consumes; each binding reads the event and hands it to one service method. */
@Configuration
class PackagingBindings {
  /** ModelTrained on {@code edgeloop.model-trained}: queue the version's build. */
  @Bean
  Consumer<Message<byte[]>> onModelTrained(EventReader reader, BuildRequests requests) {
    return message -> reader.handle(message, ModelTrained.class, requests::onModelTrained);
  }

  /** ModelPromoted on {@code edgeloop.model-promoted}: build a champion the promoted-only policy skipped. */
  @Bean
  Consumer<Message<byte[]>> onModelPromoted(EventReader reader, BuildRequests requests) {
    return message -> reader.handle(message, ModelPromoted.class, requests::onModelPromoted);
  }
}
