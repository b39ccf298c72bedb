package io.edgeloop.training.messaging;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.messaging.EventReader;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The events this service consumes; each binding reads the event and hands it to one service method. */
@Configuration
class TrainingBindings {
  /** DataLanded on {@code edgeloop.data-landed}. */
  @Bean
  Consumer<Message<byte[]>> onDataLanded(EventReader reader, ReceivedEvents received) {
    return message -> received.record(reader.read(message, DataLanded.class));
  }

  /** RunRequested on {@code edgeloop.run-requested}. */
  @Bean
  Consumer<Message<byte[]>> onRunRequested(EventReader reader, ReceivedEvents received) {
    return message -> received.record(reader.read(message, RunRequested.class));
  }
}
