package io.edgeloop.launcher.cli;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.InvalidEventException;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgeloop events tail}: every edgeloop event as it happens (or from the start). */
@Command(name = "events", mixinStandardHelpOptions = true, description = ClientMain.EVENTS, subcommands = EventsCommand.Tail.class)
public final class EventsCommand {

  @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print edgeloop events from all topics until Ctrl-C.")
  static final class Tail implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KafkaBroker broker;

    @Option(names = "--from-beginning", description = "Start at the oldest retained event instead of new ones.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many events (0 = never).")
    int max;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "Stop when no event came for this long (ISO-8601, e.g. PT10S; default: never).")
    Duration idleTimeout;

    @Override
    public Integer call() {
      GlobalOptions options = ((EdgeloopCli) spec.root().userObject()).options();
      Output output = new Output(options.output, System.out);
      KafkaConnection connection = broker.connect();
      EventCodec codec = new EventCodec();
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(
              connection.clientConfig(Map.of(
                  ConsumerConfig.GROUP_ID_CONFIG, "edgeloop-cli-" + UUID.randomUUID(),
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest",
                  ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
              new StringDeserializer(),
              new ByteArrayDeserializer())) {
        consumer.subscribe(Topics.all());
        int seen = 0;
        long lastEvent = System.nanoTime();
        while (max == 0 || seen < max) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            print(codec, record, output);
            lastEvent = System.nanoTime();
            if (max > 0 && ++seen >= max) {
              break;
            }
          }
          if (idleTimeout != null && System.nanoTime() - lastEvent > idleTimeout.toNanos()) {
            break;
          }
        }
      } catch (AuthorizationException e) {
        throw KafkaBroker.refused(connection, e);
      }
      return 0;
    }

    private static void print(EventCodec codec, ConsumerRecord<String, byte[]> record, Output output) {
      try {
        ReceivedEvent<?> event = codec.decode(record.headers(), record.value());
        if (output.human()) {
          output.line(String.format("%s  %s", event.time(), EventText.describe(event.data())));
        } else {
          String json = new String(codec.dataJson(event.data()), StandardCharsets.UTF_8);
          if (output.yaml()) {
            output.out().print("---" + System.lineSeparator() + output.serialize(ApiClient.JSON.readTree(json)));
          } else {
            output.line(json); // JSON Lines: one event per line
          }
        }
      } catch (InvalidEventException e) {
        output.line(String.format("%s offset=%d is not an edgeloop event: %s", record.topic(), record.offset(), e.getMessage()));
      } catch (java.io.IOException e) {
        output.line(String.format("%s offset=%d could not be printed: %s", record.topic(), record.offset(), e.getMessage()));
      }
    }
  }
}
