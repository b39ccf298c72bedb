package io.edgeloop.deploy.messaging;

import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.deploy.rollout.RolloutService;
import io.edgeloop.messaging.EventReader;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The events this service consumes; each binding reads the event and hands it to one service method. */
@Configuration
class DeployBindings {
  /** ImagePushed on {@code edgeloop.image-pushed}: admit and record the image; plan its rollout when it is the champion's. */
  @Bean
  Consumer<Message<byte[]>> onImagePushed(EventReader reader, RolloutService rollouts) {
    return message -> reader.handle(message, ImagePushed.class, rollouts::onImagePushed);
  }

  /** ModelPromoted on {@code edgeloop.model-promoted}: follow the champion alias; roll out a new champion's image. */
  @Bean
  Consumer<Message<byte[]>> onModelPromoted(EventReader reader, RolloutService rollouts) {
    return message -> reader.handle(message, ModelPromoted.class, rollouts::onModelPromoted);
  }
}
