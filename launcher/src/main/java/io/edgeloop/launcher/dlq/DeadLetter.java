package io.edgeloop.launcher.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One record of a dead-letter topic as {@code io.edgeloop.messaging.retry.RetryingConsumers} writes
 * it: the original key, value and headers, plus {@code x-original-topic|partition|offset} (where it
 * was consumed) and {@code x-exception-message|stacktrace} (why its handler gave up).
 *
 * @param ref where it is
 * @param key the original record key (null when it had none)
 * @param value the original record value
 * @param headers every header of the dead letter, in order
 * @param deadLetteredAt when it was dead-lettered (the record's timestamp)
 */
public record DeadLetter(DeadLetterRef ref, byte[] key, byte[] value, List<Header> headers, Instant deadLetteredAt) {
  public static final String ORIGINAL_TOPIC = "x-original-topic";
  public static final String ORIGINAL_PARTITION = "x-original-partition";
  public static final String ORIGINAL_OFFSET = "x-original-offset";
  public static final String EXCEPTION_MESSAGE = "x-exception-message";
  public static final String EXCEPTION_STACKTRACE = "x-exception-stacktrace";
  /** Set on a replayed record: the dead letter it was put back from ({@link DeadLetterRef} form). */
  public static final String REPLAYED_FROM = "x-replayed-from";
  private static final int REASON_LENGTH = 200;

  static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
    return new DeadLetter(new DeadLetterRef(record.topic(), record.partition(), record.offset()), record.key(),
        record.value() == null ? new byte[0] : record.value(), List.of(record.headers().toArray()), Instant.ofEpochMilli(record.timestamp()));
  }

  /** The last value of header {@code name} as UTF-8 text. */
  public Optional<String> header(String name) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).key().equals(name)) {
        byte[] value = headers.get(i).value();
        return Optional.of(value == null ? "" : new String(value, StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  public String originalTopic() {
    return header(ORIGINAL_TOPIC).orElse("");
  }

  /** {@code 2:17} on the original topic, or empty when the dead letter does not say. */
  public String originalPosition() {
    return header(ORIGINAL_PARTITION).map(p -> p + ":" + header(ORIGINAL_OFFSET).orElse("?")).orElse("");
  }

  /** The CloudEvents type ({@code ce_type}), empty for a record that was no event. */
  public String eventType() {
    return header("ce_type").orElse("");
  }

  /** The CloudEvents id ({@code ce_id}), empty for a record that was no event. */
  public String eventId() {
    return header("ce_id").orElse("");
  }

  public String keyText() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /**
   * The exception a person reads about: the first in the dead letter's stack trace (outermost to
   * root cause) that is not the framework's wrapping of the listener call, as
   * {@code RetryingConsumers} chose its message; its simple name, or empty when there is no trace.
   */
  public String exceptionClass() {
    List<String> classes = new ArrayList<>();
    for (String line : header(EXCEPTION_STACKTRACE).orElse("").split("\n")) {
      String head = line.startsWith("Caused by: ") ? line.substring("Caused by: ".length()) : classes.isEmpty() ? line : "";
      int colon = head.indexOf(':');
      String name = (colon < 0 ? head : head.substring(0, colon)).strip();
      if (!name.isEmpty() && name.matches("[\\w$.]+")) {
        classes.add(name);
      }
    }
    String chosen = classes.stream().filter(c -> !c.startsWith("org.springframework.")).findFirst()
        .orElse(classes.isEmpty() ? "" : classes.get(classes.size() - 1));
    return chosen.substring(chosen.lastIndexOf('.') + 1);
  }

  public String exceptionMessage() {
    return header(EXCEPTION_MESSAGE).orElse("");
  }

  /** {@code InvalidEventException: not a CloudEvent ...}: one line, at most 200 characters. */
  public String reason() {
    String type = exceptionClass();
    String text = (type.isEmpty() ? "" : type + ": ") + exceptionMessage().replaceAll("\\s+", " ").strip();
    return text.length() > REASON_LENGTH ? text.substring(0, REASON_LENGTH - 3) + "..." : text;
  }

  /**
   * The headers the record had on its original topic, and where it is replayed from: everything
   * but the dead-letter headers ({@code x-exception-*}, {@code x-original-*}) and an earlier
   * {@code x-replayed-from}.
   */
  public List<Header> replayHeaders() {
    List<Header> replay = new ArrayList<>();
    for (Header header : headers) {
      String name = header.key();
      if (!name.startsWith("x-exception-") && !name.startsWith("x-original-") && !name.equals(REPLAYED_FROM)) {
        replay.add(header);
      }
    }
    replay.add(new RecordHeader(REPLAYED_FROM, ref.toString().getBytes(StandardCharsets.UTF_8)));
    return replay;
  }
}
