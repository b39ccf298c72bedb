package io.edgeloop.deploy.messaging;

import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.deploy.rollout.RolloutService;
import io.edgeloop.messaging.EventReader;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The events this service consumes; each binding reads the event and hands it to one service method. */
@Configuration
class DeployBindings {
  /** ImagePushed on {@code edgeloop.image-pushed}: plan its rollout (the worker runs it). */
  @Bean
  Consumer<Message<byte[]>> onImagePushed(EventReader reader, RolloutService rollouts) {
    return message -> reader.handle(message, ImagePushed.class, rollouts::plan);
  }

  /** ModelTrained on {@code edgeloop.model-trained}: remember whether the version was promoted. */
  @Bean
  Consumer<Message<byte[]>> onModelTrained(EventReader reader, RolloutService rollouts) {
    return message -> reader.handle(message, ModelTrained.class, rollouts::learn);
  }
}
