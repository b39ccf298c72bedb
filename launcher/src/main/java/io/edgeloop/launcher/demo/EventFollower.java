package io.edgeloop.launcher.demo;

import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.InvalidEventException;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the loop the way any other system would: a plain Kafka consumer on every edgeloop topic,
 * from the beginning. The demo learns what happened only from these events.
 */
final class EventFollower implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final EventCodec codec = new EventCodec();
  private final List<ReceivedEvent<?>> events = new ArrayList<>();
  private final Consumer<ReceivedEvent<?>> onEvent;
  private final Thread thread;
  private volatile boolean running = true;

  EventFollower(String bootstrapServers, Consumer<ReceivedEvent<?>> onEvent) {
    this.onEvent = onEvent;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "edgeloop-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(Topics.all());
    thread = new Thread(this::poll, "edgeloop-demo-events");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            ReceivedEvent<?> event = codec.decode(record.headers(), record.value());
            synchronized (events) {
              events.add(event);
              events.notifyAll();
            }
            onEvent.accept(event);
          } catch (InvalidEventException e) {
            System.out.println("  (ignored a record that is not an edgeloop event on " + record.topic() + ": " + e.getMessage() + ")");
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Waits for the first event of {@code type} matching {@code condition}, seen at any time since the start. */
  <E extends EdgeloopEvent> E await(Class<E> type, Predicate<E> condition, Duration timeout, String what)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        Optional<E> found = find(type, condition);
        if (found.isPresent()) {
          return found.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("no " + what + " within " + timeout.toSeconds() + " s");
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  <E extends EdgeloopEvent> Optional<E> find(Class<E> type, Predicate<E> condition) {
    synchronized (events) {
      return events.stream().map(ReceivedEvent::data).filter(type::isInstance).map(type::cast).filter(condition).findFirst();
    }
  }

  <E extends EdgeloopEvent> List<E> all(Class<E> type) {
    synchronized (events) {
      return events.stream().map(ReceivedEvent::data).filter(type::isInstance).map(type::cast).toList();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5000);
  }
}
