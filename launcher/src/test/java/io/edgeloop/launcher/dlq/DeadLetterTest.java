package io.edgeloop.launcher.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** What a dead letter says (from the headers RetryingConsumers writes), how it is named, and what a replay sends. */
class DeadLetterTest {
  private static final DeadLetterRef REF = new DeadLetterRef("edgeloop.dlq.training-service", 2, 17);
  private static final Instant AT = Instant.parse("2026-12-02T09:00:00Z");
  /** The shape of a real dead letter's trace: the container's wrapper first, the handler's exception as a cause. */
  private static final String TRACE = String.join("\n",
      "org.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed",
      "\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:3047)",
      "Caused by: org.springframework.messaging.MessageHandlingException: error occurred in message handler",
      "\tat org.springframework.integration.support.utils.IntegrationUtils.wrapInHandlingExceptionIfNecessary(IntegrationUtils.java:191)",
      "Caused by: io.edgeloop.messaging.PoisonEventException: run run-42 names no experiment this service has",
      "\tat io.edgeloop.training.runs.RunRequests.accept(RunRequests.java:40)",
      "\t... 12 more");

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static DeadLetter letter(Header... headers) {
    return new DeadLetter(REF, "turbofan-rul".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), List.of(headers), AT);
  }

  @Test
  void shouldReadTheRefAsListPrintsItOrWithTheServiceAlone() {
    assertThat(DeadLetterRef.parse("edgeloop.dlq.training-service/2:17")).isEqualTo(REF);
    assertThat(DeadLetterRef.parse("training-service/2:17")).isEqualTo(REF);
    assertThat(REF.toString()).isEqualTo("edgeloop.dlq.training-service/2:17");
    for (String bad : List.of("training-service", "training-service/2", "training-service/x:1", "/2:17", "training-service/2:-1")) {
      assertThatThrownBy(() -> DeadLetterRef.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("'" + bad + "' is not a dead letter reference");
    }
  }

  @Test
  void shouldNameTheHandlersExceptionNotTheFrameworksWrapping() {
    DeadLetter letter = letter(header("ce_type", "edgeloop.run.requested.v1"), header("ce_id", "1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        header(DeadLetter.ORIGINAL_TOPIC, "edgeloop.run-requested"), header(DeadLetter.ORIGINAL_PARTITION, "3"),
        header(DeadLetter.ORIGINAL_OFFSET, "41"), header(DeadLetter.EXCEPTION_MESSAGE, "run run-42 names no experiment\nthis service has"),
        header(DeadLetter.EXCEPTION_STACKTRACE, TRACE));

    assertThat(letter.exceptionClass()).isEqualTo("PoisonEventException");
    assertThat(letter.reason()).isEqualTo("PoisonEventException: run run-42 names no experiment this service has");
    assertThat(letter.originalTopic()).isEqualTo("edgeloop.run-requested");
    assertThat(letter.originalPosition()).isEqualTo("3:41");
    assertThat(letter.eventType()).isEqualTo("edgeloop.run.requested.v1");
    assertThat(letter.eventId()).isEqualTo("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  }

  @Test
  void shouldKeepTheOutermostExceptionWhenEveryOneIsTheFrameworksAndCutALongReason() {
    DeadLetter letter = letter(header(DeadLetter.EXCEPTION_MESSAGE, "x".repeat(500)),
        header(DeadLetter.EXCEPTION_STACKTRACE, TRACE.lines().limit(4).reduce((a, b) -> a + "\n" + b).orElseThrow()));

    assertThat(letter.exceptionClass()).isEqualTo("MessageHandlingException");
    assertThat(letter.reason()).hasSize(200).startsWith("MessageHandlingException: xxx").endsWith("...");
    assertThat(letter(header(DeadLetter.EXCEPTION_MESSAGE, "no trace")).reason()).isEqualTo("no trace");
  }

  @Test
  void shouldReplayTheOriginalHeadersWithoutTheDeadLetterOnesAndSayWhereFrom() {
    DeadLetter letter = letter(header("ce_id", "id-1"), header("content-type", "application/json"),
        header(DeadLetter.ORIGINAL_TOPIC, "edgeloop.run-requested"), header(DeadLetter.ORIGINAL_OFFSET, "41"),
        header(DeadLetter.EXCEPTION_MESSAGE, "boom"), header(DeadLetter.EXCEPTION_STACKTRACE, TRACE),
        header(DeadLetter.REPLAYED_FROM, "edgeloop.dlq.training-service/0:3"));

    List<Header> replay = letter.replayHeaders();

    assertThat(replay).extracting(Header::key).containsExactly("ce_id", "content-type", DeadLetter.REPLAYED_FROM);
    assertThat(new String(replay.get(2).value(), StandardCharsets.UTF_8)).isEqualTo("edgeloop.dlq.training-service/2:17");
  }

  @Test
  void shouldCountAReplayOnlyForTheRecordItWasMadeOf() {
    DeadLetter letter = letter();
    Replay replay = new Replay(REF.toString(), AT.toString(), "edgeloop.run-requested", 1, 9, "2026-12-02T10:00:00Z");
    Replay ofAnEarlierTopic = new Replay(REF.toString(), "2026-11-01T00:00:00Z", "edgeloop.run-requested", 1, 3, "2026-11-02T00:00:00Z");

    assertThat(DeadLetters.replayOf(letter, Map.of(REF.toString(), replay))).contains(replay);
    assertThat(DeadLetters.replayOf(letter, Map.of(REF.toString(), ofAnEarlierTopic))).as("same ref, a record since deleted").isEmpty();
    assertThat(Replay.fromJson(replay.toJson())).contains(replay);
    assertThat(Replay.fromJson("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(Replay.fromJson(null)).as("a tombstone").isEmpty();
  }
}
