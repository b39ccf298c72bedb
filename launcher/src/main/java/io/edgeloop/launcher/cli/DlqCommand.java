package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.launcher.dlq.DeadLetter;
import io.edgeloop.launcher.dlq.DeadLetterRef;
import io.edgeloop.launcher.dlq.DeadLetters;
import io.edgeloop.launcher.dlq.Replay;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgeloop dlq list|show|replay}: the records the services gave up on (poison, or a failure
 * that outlasted the retries), read from the {@code edgeloop.dlq.<service>} topics, and put back on
 * the topic they came from once the cause is mended. Reads and writes Kafka itself, like
 * {@code events}.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = DlqCommand.DESCRIPTION,
    subcommands = {DlqCommand.List.class, DlqCommand.Show.class, DlqCommand.Replay.class})
public final class DlqCommand {
  public static final String DESCRIPTION = "Dead letters: list, inspect, replay onto the topic they came from.";
  private static final int PREVIEW = 200;

  /** A dlq command: the output format from the root, the broker checked before anything is read. */
  abstract static class DlqCall implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KafkaBroker broker;
    Output output;

    @Override
    public final Integer call() {
      output = new Output(((EdgeloopCli) spec.root().userObject()).options().output, System.out);
      KafkaConnection connection = broker.connect();
      try (DeadLetters letters = new DeadLetters(connection.clientConfig(Map.of()))) {
        return run(letters);
      } catch (org.apache.kafka.common.errors.AuthorizationException e) {
        throw KafkaBroker.refused(connection, e);
      }
    }

    abstract int run(DeadLetters letters);

    /** The dead-letter topics {@code topic} names (all of them when null); an error when it names none. */
    static java.util.List<String> topics(DeadLetters letters, String topic) {
      java.util.List<String> all = letters.topics();
      if (topic == null) {
        return all;
      }
      String wanted = DeadLetterRef.topic(topic);
      if (!all.contains(wanted)) {
        throw new CliException("no dead-letter topic " + wanted + (all.isEmpty() ? " (the broker has none: nothing was dead-lettered)" : " (there are: " + String.join(", ", all) + ")"));
      }
      return java.util.List.of(wanted);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Dead letters, newest last: where, from which topic, event type and id, why, when, whether replayed.")
  static final class List extends DlqCall {
    @Option(names = "--topic", paramLabel = "TOPIC", description = "Only this dead-letter topic (edgeloop.dlq.<service>, or the service's name).")
    String topic;

    @Option(names = "--limit", defaultValue = "100", description = "The newest this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(DeadLetters letters) {
      java.util.List<DeadLetter> all = letters.read(topics(letters, topic));
      Map<String, io.edgeloop.launcher.dlq.Replay> replays = letters.replays();
      java.util.List<DeadLetter> shown = all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size());
      if (!output.human()) {
        ArrayNode rows = ApiClient.JSON.createArrayNode();
        shown.forEach(letter -> rows.add(summary(letter, DeadLetters.replayOf(letter, replays))));
        output.raw(rows);
        return 0;
      }
      Table table = Table.of("REF", "FROM", "TYPE", "EVENT", "REASON", "AGE", "REPLAYED");
      for (DeadLetter letter : shown) {
        table.row(letter.ref(), letter.originalTopic(), letter.eventType(), shortId(letter.eventId()), letter.reason(),
            age(letter.deadLetteredAt()), DeadLetters.replayOf(letter, replays).map(r -> age(Instant.parse(r.replayedAt())) + " ago").orElse(""));
      }
      table.print(output.out());
      if (shown.size() < all.size()) {
        output.line("(" + (all.size() - shown.size()) + " older not shown: --limit " + all.size() + " shows all)");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter: where it came from, why, its headers and its value.")
  static final class Show extends DlqCall {
    @Parameters(paramLabel = "REF", description = "TOPIC/PARTITION:OFFSET, as dlq list shows it.")
    String ref;

    @Override
    int run(DeadLetters letters) {
      DeadLetter letter = find(letters, ref);
      Optional<io.edgeloop.launcher.dlq.Replay> replay = DeadLetters.replayOf(letter, letters.replays());
      if (!output.human()) {
        ObjectNode node = summary(letter, replay);
        ArrayNode headers = node.putArray("headers");
        letter.headers().forEach(h -> headers.add(header(h)));
        node.put("valueBytes", letter.value().length);
        json(letter.value()).ifPresentOrElse(v -> node.set("value", v), () -> text(letter.value()).ifPresentOrElse(
            t -> node.put("valueText", t), () -> node.put("valueBase64", Base64.getEncoder().encodeToString(letter.value()))));
        output.raw(node);
        return 0;
      }
      KeyValues.create()
          .put("dead letter", letter.ref())
          .put("from", letter.originalTopic() + (letter.originalPosition().isEmpty() ? "" : " at " + letter.originalPosition()))
          .put("key", letter.keyText())
          .put("type", letter.eventType())
          .put("event id", letter.eventId())
          .put("exception", letter.exceptionClass())
          .put("message", letter.exceptionMessage())
          .put("dead-lettered", letter.deadLetteredAt() + " (" + age(letter.deadLetteredAt()) + " ago)")
          .put("replayed", replay.map(r -> "to " + r.describe()).orElse("no"))
          .put("headers", headerLines(letter))
          .put("value", value(letter.value()))
          .print(output.out());
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = {"Put dead letters back on the topic they came from, with their key, value and headers, for the service to consume again.",
          "Consumers drop an event they have handled already (by its id), so replaying one whose effect happened is harmless.",
          "Each replay is recorded; a dead letter replayed before is refused unless --force."})
  static final class Replay extends DlqCall {
    @Parameters(paramLabel = "REF", arity = "0..*", description = "Dead letters (TOPIC/PARTITION:OFFSET, as dlq list shows them).")
    java.util.List<String> refs = new ArrayList<>();

    @Option(names = "--all", description = "Every dead letter not replayed yet (with --force: every one).")
    boolean all;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "With --all: only this dead-letter topic (edgeloop.dlq.<service>, or the service's name).")
    String topic;

    @Option(names = "--force", description = "Replay also dead letters that were replayed before.")
    boolean force;

    @Override
    int run(DeadLetters letters) {
      if (all == !refs.isEmpty()) {
        throw new CliException(all ? "give dead letters or --all, not both" : "give the dead letters to replay (TOPIC/PARTITION:OFFSET, as dlq list shows them) or --all");
      }
      if (topic != null && !all) {
        throw new CliException("--topic goes with --all; dead letters given by ref name their topic");
      }
      Map<String, io.edgeloop.launcher.dlq.Replay> replays = letters.replays();
      java.util.List<DeadLetter> chosen = new ArrayList<>();
      if (all) {
        java.util.List<DeadLetter> every = letters.read(topics(letters, topic));
        every.stream().filter(l -> force || DeadLetters.replayOf(l, replays).isEmpty()).forEach(chosen::add);
        if (chosen.isEmpty() && output.human()) {
          output.line(every.isEmpty() ? "no dead letters: nothing to replay"
              : "nothing to replay: all " + every.size() + " dead letters were replayed before (--force replays them again)");
        }
      } else {
        java.util.List<String> replayedBefore = new ArrayList<>();
        for (String ref : refs) {
          DeadLetter letter = find(letters, ref);
          DeadLetters.replayOf(letter, replays).filter(r -> !force)
              .ifPresentOrElse(r -> replayedBefore.add(letter.ref() + " (to " + r.describe() + ")"), () -> chosen.add(letter));
        }
        if (!replayedBefore.isEmpty()) {
          throw new CliException("already replayed: " + String.join(", ", replayedBefore) + "; --force replays again, nothing was replayed now");
        }
      }
      ArrayNode done = ApiClient.JSON.createArrayNode();
      for (DeadLetter letter : chosen) {
        io.edgeloop.launcher.dlq.Replay replay;
        try {
          replay = letters.replay(letter);
        } catch (IllegalStateException e) {
          output.raw(done);
          throw new CliException(e.getMessage() + (done.isEmpty() ? "" : " (" + done.size() + " replayed before it)"));
        }
        ObjectNode node = ApiClient.JSON.valueToTree(replay);
        node.put("eventType", letter.eventType()).put("eventId", letter.eventId());
        done.add(node);
        if (output.human()) {
          output.line("replayed " + letter.ref() + " -> " + replay.topic() + "/" + replay.partition() + ":" + replay.offset()
              + (letter.eventType().isEmpty() ? "" : " (" + letter.eventType() + " " + letter.eventId() + ")"));
        }
      }
      output.raw(done);
      return 0;
    }
  }

  static DeadLetter find(DeadLetters letters, String ref) {
    DeadLetterRef parsed;
    try {
      parsed = DeadLetterRef.parse(ref);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    return letters.find(parsed).orElseThrow(() -> new CliException("no dead letter " + parsed + " (dlq list shows them)"));
  }

  /** What list prints per dead letter, for scripts. */
  static ObjectNode summary(DeadLetter letter, Optional<io.edgeloop.launcher.dlq.Replay> replay) {
    ObjectNode node = ApiClient.JSON.createObjectNode()
        .put("ref", letter.ref().toString())
        .put("topic", letter.ref().topic())
        .put("partition", letter.ref().partition())
        .put("offset", letter.ref().offset())
        .put("originalTopic", letter.originalTopic())
        .put("originalPosition", letter.originalPosition())
        .put("key", letter.keyText())
        .put("eventType", letter.eventType())
        .put("eventId", letter.eventId())
        .put("exception", letter.exceptionClass())
        .put("message", letter.exceptionMessage())
        .put("reason", letter.reason())
        .put("deadLetteredAt", letter.deadLetteredAt().toString());
    node.set("replayed", replay.<JsonNode>map(ApiClient.JSON::valueToTree).orElse(null));
    return node;
  }

  private static ObjectNode header(Header header) {
    ObjectNode node = ApiClient.JSON.createObjectNode().put("name", header.key());
    byte[] value = header.value() == null ? new byte[0] : header.value();
    text(value).ifPresentOrElse(t -> node.put("value", t), () -> node.put("valueBase64", Base64.getEncoder().encodeToString(value)));
    return node;
  }

  /** One line per header, by name (the binder writes them in no order): its text cut to one line, or its size when it is not text. */
  private static String headerLines(DeadLetter letter) {
    java.util.List<String> lines = new ArrayList<>();
    java.util.List<Header> byName = new ArrayList<>(letter.headers());
    byName.sort(java.util.Comparator.comparing(Header::key));
    for (Header header : byName) {
      byte[] value = header.value() == null ? new byte[0] : header.value();
      String text = text(value).map(t -> {
        String first = t.lines().findFirst().orElse("");
        long more = t.lines().count() - 1;
        String cut = first.length() > 120 ? first.substring(0, 117) + "..." : first;
        return more > 0 ? cut + " (+" + more + " lines; -o json shows all)" : cut;
      }).orElse("<" + value.length + " bytes, not text>");
      lines.add(header.key() + " = " + text);
    }
    return String.join("\n", lines);
  }

  /** The value for people: pretty JSON when it is JSON, else its size and a printable preview. */
  static String value(byte[] value) {
    Optional<JsonNode> json = json(value);
    if (json.isPresent()) {
      try {
        return ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json.get());
      } catch (IOException e) {
        // falls through to the preview
      }
    }
    String preview = new String(value, 0, Math.min(PREVIEW, value.length), StandardCharsets.UTF_8)
        .replaceAll("[^\\p{Print}]", ".");
    return value.length + " bytes" + (value.length == 0 ? "" : ", not JSON: " + preview + (value.length > PREVIEW ? "..." : ""));
  }

  private static Optional<JsonNode> json(byte[] value) {
    if (value.length == 0) {
      return Optional.empty();
    }
    try {
      JsonNode node = ApiClient.JSON.readTree(value);
      return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code bytes} as text when they are UTF-8. */
  private static Optional<String> text(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static String shortId(String id) {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }

  private static String age(Instant time) {
    return Text.duration(Duration.between(time, Instant.now()));
  }
}
