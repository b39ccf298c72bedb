package io.edgeloop.messaging;

import io.edgeloop.contracts.ReceivedEvent;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/**
 * A minimal service: consumer bindings that read events and keep them; a test binds the one it
 * needs with {@code spring.cloud.function.definition}. {@code sink} keeps every event; {@code
 * flaky} fails while {@link #failuresLeft} is above 0 (an outage of whatever it writes to);
 * {@code poisoned} refuses every event as poison.
 */
@SpringBootApplication
public class MessagingTestApp {
  final BlockingQueue<ReceivedEvent<?>> received = new LinkedBlockingQueue<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  final AtomicInteger attempts = new AtomicInteger();

  /** What {@code sink} received, for tests in other packages. */
  public BlockingQueue<ReceivedEvent<?>> received() {
    return received;
  }

  @Bean
  Consumer<Message<byte[]>> sink(EventReader reader) {
    return message -> reader.handle(message, io.edgeloop.contracts.RunFailed.class, received::add);
  }

  @Bean
  Consumer<Message<byte[]>> flaky(EventReader reader) {
    return message -> reader.handle(message, io.edgeloop.contracts.RunFailed.class, event -> {
      attempts.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("the database is down (attempt " + attempts.get() + ")");
      }
      received.add(event);
    });
  }

  @Bean
  Consumer<Message<byte[]>> poisoned(EventReader reader) {
    return message -> reader.handle(message, io.edgeloop.contracts.RunFailed.class, event -> {
      attempts.incrementAndGet();
      throw new PoisonEventException("run " + event.data().runId() + " names no experiment this service has");
    });
  }
}
