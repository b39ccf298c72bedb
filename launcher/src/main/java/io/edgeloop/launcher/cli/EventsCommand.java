package io.edgeloop.launcher.cli;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.InvalidEventException;
import io.edgeloop.contracts.ReceivedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeloop events tail}: every edgeloop event as it happens (or from the start). */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Watch the event topics.", subcommands = EventsCommand.Tail.class)
public final class EventsCommand {

  @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print edgeloop events from all topics until Ctrl-C.")
  static final class Tail implements Callable<Integer> {
    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:EDGELOOP_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}", description = "Kafka bootstrap servers (default ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--from-beginning", description = "Start at the oldest retained event instead of new ones.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many events (0 = never).")
    int max;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (the event data as JSON, one per line)")
    String output;

    @Override
    public Integer call() {
      EventCodec codec = new EventCodec();
      List<String> topics = Arrays.stream(EventType.values()).map(EventType::topic).toList();
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                  ConsumerConfig.GROUP_ID_CONFIG, "edgeloop-cli-" + UUID.randomUUID(),
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest",
                  ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
              new StringDeserializer(),
              new ByteArrayDeserializer())) {
        consumer.subscribe(topics);
        int seen = 0;
        while (max == 0 || seen < max) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            print(codec, record);
            if (max > 0 && ++seen >= max) {
              break;
            }
          }
        }
      }
      return 0;
    }

    private void print(EventCodec codec, ConsumerRecord<String, byte[]> record) {
      try {
        ReceivedEvent<?> event = codec.decode(record.headers(), record.value());
        if ("json".equals(output)) {
          System.out.println(new String(codec.dataJson(event.data()), StandardCharsets.UTF_8));
        } else {
          System.out.printf("%s %-28s key=%s %s%n", event.time(), event.type().type(), record.key(), event.data());
        }
      } catch (InvalidEventException e) {
        System.out.printf("%s offset=%d not an edgeloop event: %s%n", record.topic(), record.offset(), e.getMessage());
      }
    }
  }
}
