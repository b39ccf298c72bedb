package io.edgeloop.launcher.dlq;

import io.edgeloop.contracts.Topics;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one dead letter is: {@code edgeloop.dlq.training-service/2:17} (dead-letter topic, partition,
 * offset), as {@code dlq list} prints it. A ref stays valid as long as the broker keeps the record.
 */
public record DeadLetterRef(String topic, int partition, long offset) {
  private static final Pattern FORM = Pattern.compile("(.+)/(\\d{1,9}):(\\d{1,18})");

  /**
   * Parses {@code TOPIC/PARTITION:OFFSET}; {@code TOPIC} may also be the service alone
   * ({@code training-service/2:17}), which names {@code edgeloop.dlq.training-service}.
   *
   * @throws IllegalArgumentException when {@code text} has not that form
   */
  public static DeadLetterRef parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a dead letter reference: give TOPIC/PARTITION:OFFSET as dlq list prints it"
          + " (e.g. edgeloop.dlq.training-service/0:12)");
    }
    return new DeadLetterRef(topic(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)));
  }

  /** The dead-letter topic an operator means by {@code name}: itself when it is a full dead-letter topic name, else that service's. */
  public static String topic(String name) {
    return name.startsWith(DeadLetters.PREFIX) ? name : Topics.deadLetters(name);
  }

  @Override
  public String toString() {
    return topic + "/" + partition + ":" + offset;
  }
}
