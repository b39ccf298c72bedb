package io.edgeloop.messaging.retry;

import io.edgeloop.contracts.InvalidEventException;
import io.edgeloop.messaging.EventTooLargeException;
import io.edgeloop.messaging.MessagingProperties;
import io.edgeloop.messaging.PoisonEventException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Moves retries and dead letters from the binding into the listener container, so that a
 * consumer can wait out an outage: a record whose handler fails is retried with capped exponential
 * backoff for {@code edgeloop.messaging.retry.max-duration} (the consumer polls between attempts,
 * so it stays in its group), and only then dead-lettered and counted. Poison (a record that is not
 * a valid event, an event too large, {@link PoisonEventException}) is dead-lettered at once. Dead
 * letters go to {@code edgeloop.dlq.<service>} with the error in {@code x-exception-message} /
 * {@code x-exception-stacktrace}, the source in {@code x-original-topic} / {@code
 * x-original-partition} / {@code x-original-offset}, and the original headers and key, so that
 * {@code edgeloop dlq replay} can put the record back as it was. They are sent through the binder
 * ({@link StreamBridge}), so they use the same broker settings (security included) as every event.
 */
public class RetryingConsumers implements ListenerContainerWithDlqAndRetryCustomizer {
  private static final Logger log = LoggerFactory.getLogger(RetryingConsumers.class);
  private final StreamBridge bridge;
  private final MessagingProperties.Retry retry;
  private final MeterRegistry meters;

  public RetryingConsumers(StreamBridge bridge, MessagingProperties.Retry retry, MeterRegistry meters) {
    this.bridge = bridge;
    this.retry = retry;
    this.meters = meters;
  }

  @Override
  public boolean retryAndDlqInBinding(String destinationName, String group) {
    return false;
  }

  @Override
  public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
      BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver, BackOff backOff,
      ExtendedConsumerProperties<KafkaConsumerProperties> properties) {
    configure(container, destinationName, group, dlqDestinationResolver, backOff);
  }

  @Override
  public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
      BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver, BackOff backOff) {
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer(destinationName, dlqDestinationResolver), backOff());
    handler.addNotRetryableExceptions(InvalidEventException.class, PoisonEventException.class, EventTooLargeException.class);
    handler.setCommitRecovered(true);
    container.setCommonErrorHandler(handler);
  }

  private ExponentialBackOff backOff() {
    ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    backOff.setMaxElapsedTime(retry.maxDuration().toMillis());
    return backOff;
  }

  private ConsumerRecordRecoverer recoverer(
      String destination, BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver) {
    if (dlqDestinationResolver == null) {
      return (record, e) -> log.error("{}: record at offset {} dropped after its retries (no dead-letter topic): {}",
          destination, record.offset(), e.toString());
    }
    return (record, e) -> {
      String topic = dlqDestinationResolver.apply(record, e).topic();
      MessageBuilder<Object> message = MessageBuilder.withPayload(record.value() == null ? new byte[0] : record.value());
      for (Header header : record.headers()) {
        message.setHeader(header.key(), header.value());
      }
      if (record.key() != null) {
        message.setHeader(KafkaHeaders.KEY, record.key());
      }
      message.setHeader("x-original-topic", bytes(record.topic()));
      message.setHeader("x-original-partition", bytes(Integer.toString(record.partition())));
      message.setHeader("x-original-offset", bytes(Long.toString(record.offset())));
      message.setHeader("x-exception-message", bytes(rootMessage(e)));
      message.setHeader("x-exception-stacktrace", bytes(stackTrace(e)));
      if (!bridge.send(topic, message.build())) {
        throw new IllegalStateException("the binder refused the dead letter for " + topic);
      }
      meters.counter("edgeloop.events.dead.lettered", "binding", record.topic()).increment();
      log.warn("{}: record at offset {} dead-lettered to {}: {}", record.topic(), record.offset(), topic, rootMessage(e));
    };
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The message a person can act on: that of the first cause which is not the framework's wrapping
   * of the listener call (the handler's own exception, with its causes in its message).
   */
  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause && cause.getClass().getName().startsWith("org.springframework.")) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  private static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    String trace = out.toString();
    return trace.length() > 16_000 ? trace.substring(0, 16_000) : trace;
  }
}
