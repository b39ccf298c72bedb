package io.edgeloop.launcher.dlq;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * That a dead letter was put back, as kept in {@link DeadLetters#REPLAYS} (keyed by the dead letter's
 * ref, so the topic keeps the latest replay of each).
 *
 * @param deadLetter the dead letter's ref ({@code edgeloop.dlq.training-service/2:17})
 * @param deadLetteredAt the dead letter's timestamp (ISO-8601): a dead-letter topic that was deleted
 *     and made again reuses offsets, and a replay counts only for the record it was made of
 * @param topic the topic it was put back on
 * @param partition the partition it landed in
 * @param offset its offset there
 * @param replayedAt when (ISO-8601)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Replay(String deadLetter, String deadLetteredAt, String topic, int partition, long offset, String replayedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether this is a replay of {@code letter} (the same position and the same record). */
  public boolean of(DeadLetter letter) {
    return deadLetter.equals(letter.ref().toString()) && deadLetteredAt.equals(letter.deadLetteredAt().toString());
  }

  /** {@code edgeloop.run-failed/1:40 at 2026-12-02T09:50:01Z}. */
  public String describe() {
    return topic + "/" + partition + ":" + offset + " at " + replayedAt;
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The replay in a record value; empty for a tombstone or a value that is not one (another writer's). */
  static Optional<Replay> fromJson(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      Replay replay = JSON.readValue(value, Replay.class);
      return replay.deadLetter() == null || replay.deadLetteredAt() == null ? Optional.empty() : Optional.of(replay);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
