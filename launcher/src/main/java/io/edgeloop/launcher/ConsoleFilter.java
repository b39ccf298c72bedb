package io.edgeloop.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What of the stack's log reaches the console: errors, edgeloop's own warnings, and everything at
 * or above {@code --console-log-level} when that is set below WARN. Libraries' warnings (a Kafka
 * client waiting for a topic's leader, Flyway's version advice) and the embedded broker's own
 * complaints (a controller that timed out on a busy machine and carries on) stay in the log file;
 * a broker that really fails shows as the services' errors.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {
  static final String LEVEL_PROPERTY = "edgeloop.console.level";
  private static final java.util.List<String> BROKER_INTERNALS = java.util.List.of("kafka.", "state.change.logger",
      "org.apache.kafka.controller.", "org.apache.kafka.raft.", "org.apache.kafka.metadata.", "org.apache.kafka.server.",
      "org.apache.kafka.image.", "org.apache.kafka.storage.", "org.apache.kafka.queue.", "org.apache.kafka.coordinator.");

  @Override
  public FilterReply decide(ILoggingEvent event) {
    Level threshold = Level.toLevel(System.getProperty(LEVEL_PROPERTY, "WARN"), Level.WARN);
    Level level = event.getLevel();
    if (threshold.isGreaterOrEqual(Level.WARN) && BROKER_INTERNALS.stream().anyMatch(event.getLoggerName()::startsWith)) {
      return FilterReply.DENY;
    }
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return FilterReply.ACCEPT;
    }
    if (threshold.isGreaterOrEqual(Level.WARN)) {
      return level.isGreaterOrEqual(threshold) && event.getLoggerName().startsWith("io.edgeloop.") ? FilterReply.ACCEPT : FilterReply.DENY;
    }
    return level.isGreaterOrEqual(threshold) ? FilterReply.ACCEPT : FilterReply.DENY;
  }
}
