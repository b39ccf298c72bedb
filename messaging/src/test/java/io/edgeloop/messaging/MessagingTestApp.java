package io.edgeloop.messaging;

import io.edgeloop.contracts.ReceivedEvent;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/** A minimal service: one consumer binding ({@code sink-in-0}) that reads events and keeps them. */
@SpringBootApplication
public class MessagingTestApp {
  final BlockingQueue<ReceivedEvent<?>> received = new LinkedBlockingQueue<>();

  @Bean
  Consumer<Message<byte[]>> sink(EventReader reader) {
    return message -> reader.handle(message, io.edgeloop.contracts.RunFailed.class, received::add);
  }
}
