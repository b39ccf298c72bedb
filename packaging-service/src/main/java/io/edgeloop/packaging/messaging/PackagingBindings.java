package io.edgeloop.packaging.messaging;

import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.messaging.EventReader;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The events this service consumes; each binding reads the event and hands it to one service method. */
@Configuration
class PackagingBindings {
  /** ModelTrained on {@code edgeloop.model-trained}. */
  @Bean
  Consumer<Message<byte[]>> onModelTrained(EventReader reader, ImageAnnouncer announcer) {
    return message -> reader.handle(message, ModelTrained.class, announcer::onModelTrained);
  }
}
