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
  Consumer<Message<byte[]>> onDataLanded(EventReader reader, ReceivedEvents received, TriggerPolicy triggers) {
    return message -> triggers.onDataLanded(received.record(reader.read(message, DataLanded.class)).data());
  }

  /** RunRequested on {@code edgeloop.run-requested} (from this service's triggers or any other system): queues the run. */
  @Bean
  Consumer<Message<byte[]>> onRunRequested(EventReader reader, ReceivedEvents received, RunService runs) {
    return message -> runs.accept(received.record(reader.read(message, RunRequested.class)).data());
  }

  /** ModelDeployed on {@code edgeloop.model-deployed}: which versions are in use. */
  @Bean
  Consumer<Message<byte[]>> onModelDeployed(EventReader reader, ReceivedEvents received, DeploymentTracker deployments) {
    return message -> deployments.record(received.record(reader.read(message, ModelDeployed.class)).data());
  }
}
