package io.edgeloop.training.messaging;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.messaging.EventReader;
import io.edgeloop.training.registry.DeploymentTracker;
import io.edgeloop.training.run.RunService;
import io.edgeloop.training.trigger.TriggerPolicy;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The events this service consumes; each binding reads the event and hands it to one service method. All three are idempotent. */
@Configuration
class TrainingBindings {
  /** DataLanded on {@code edgeloop.data-landed}: feeds the trigger policy. */
  @Bean
  Consumer<Message<byte[]>> onDataLanded(EventReader reader, TriggerPolicy triggers) {
    return message -> reader.handle(message, DataLanded.class, event -> triggers.onDataLanded(event.data()));
  }

  /** RunRequested on {@code edgeloop.run-requested} (from this service's triggers or any other system): queues the run. */
  @Bean
  Consumer<Message<byte[]>> onRunRequested(EventReader reader, RunService runs) {
    return message -> reader.handle(message, RunRequested.class, event -> runs.accept(event.data()));
  }

  /** ModelDeployed on {@code edgeloop.model-deployed}: which versions are in use. */
  @Bean
  Consumer<Message<byte[]>> onModelDeployed(EventReader reader, DeploymentTracker deployments) {
    return message -> reader.handle(message, ModelDeployed.class, event -> deployments.record(event.data()));
  }
}
