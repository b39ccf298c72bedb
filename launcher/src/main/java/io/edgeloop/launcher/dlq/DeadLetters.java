package io.edgeloop.launcher.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stack's dead letters on its Kafka broker: every {@code edgeloop.dlq.*} topic, read from its
 * start without a consumer group (reading commits nothing and moves no service's offsets); a replay
 * puts a dead letter back on its original topic and then records it in {@link #REPLAYS}, a
 * compacted topic keyed by the dead letter's ref. The record lives on the same broker as the dead
 * letters, so it needs nothing else to be up and lasts as long as they do; compaction keeps the
 * latest replay of each dead letter however many there were.
 */
public final class DeadLetters implements AutoCloseable {
  /** Every dead-letter topic starts so ({@code Topics.deadLetters(service)}). */
  public static final String PREFIX = "edgeloop.dlq.";
  /** The replays made, keyed by dead-letter ref; not a dead-letter topic itself (no {@link #PREFIX}). */
  public static final String REPLAYS = "edgeloop.dlq-replays";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Map<String, Object> client;
  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;

  /**
   * Clients for a broker: {@code connection} is its bootstrap servers and the client settings a
   * secured broker needs; nothing connects until the first call.
   */
  public DeadLetters(Map<String, Object> connection) {
    client = new HashMap<>(connection);
    client.put(CommonClientConfigs.CLIENT_ID_CONFIG, "edgeloop-dlq");
    client.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    client.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    admin = Admin.create(client);
    Map<String, Object> reading = new HashMap<>(client);
    reading.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Looking at a topic must not make it (a broker with auto-create would, for a mistyped ref).
    reading.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    consumer = new KafkaConsumer<>(reading, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The dead-letter topics on the broker, by name. */
  public List<String> topics() {
    return existing().stream().filter(t -> t.startsWith(PREFIX)).sorted().toList();
  }

  /** Every dead letter in {@code topics}, in the order they were dead-lettered (then by position). */
  public List<DeadLetter> read(Collection<String> topics) {
    List<DeadLetter> letters = new ArrayList<>();
    readToEnd(partitions(topics)).forEach(record -> letters.add(DeadLetter.of(record)));
    letters.sort(Comparator.comparing(DeadLetter::deadLetteredAt)
        .thenComparing(l -> l.ref().topic()).thenComparingInt(l -> l.ref().partition()).thenComparingLong(l -> l.ref().offset()));
    return letters;
  }

  /** The dead letter at {@code ref}; empty when there is no such topic, partition or record (any more). */
  public Optional<DeadLetter> find(DeadLetterRef ref) {
    if (!ref.topic().startsWith(PREFIX) || !existing().contains(ref.topic())
        || partitions(List.of(ref.topic())).stream().noneMatch(p -> p.partition() == ref.partition())) {
      return Optional.empty();
    }
    TopicPartition partition = new TopicPartition(ref.topic(), ref.partition());
    consumer.assign(List.of(partition));
    long first = consumer.beginningOffsets(List.of(partition)).get(partition);
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    if (ref.offset() < first || ref.offset() >= end) {
      return Optional.empty();
    }
    consumer.seek(partition, ref.offset());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline && consumer.position(partition) <= ref.offset()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() == ref.offset()) {
          return Optional.of(DeadLetter.of(record));
        }
      }
    }
    return Optional.empty(); // a gap (compacted away, or a transaction marker)
  }

  /** The latest replay of each dead letter, by ref; empty before the first replay. */
  public Map<String, Replay> replays() {
    Map<String, Replay> replays = new HashMap<>();
    if (!existing().contains(REPLAYS)) {
      return replays;
    }
    for (ConsumerRecord<byte[], byte[]> record : readToEnd(partitions(List.of(REPLAYS)))) {
      String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
      Replay.fromJson(record.value()).ifPresentOrElse(r -> replays.put(key, r), () -> replays.remove(key));
    }
    return replays;
  }

  /** The replay of {@code letter} among {@code replays}, if it was replayed. */
  public static Optional<Replay> replayOf(DeadLetter letter, Map<String, Replay> replays) {
    return Optional.ofNullable(replays.get(letter.ref().toString())).filter(r -> r.of(letter));
  }

  /**
   * Publishes {@code letter} on its original topic with its original key, value and headers (see
   * {@link DeadLetter#replayHeaders()}), partitioned by its key as the original was, and then
   * records the replay. A failure between the two leaves a replay that is not recorded: a second
   * replay then delivers the event again, which the consumers' dedupe on the event id absorbs.
   *
   * @throws IllegalStateException when the dead letter names no original topic, that topic is gone,
   *     or the broker refused a write
   */
  public Replay replay(DeadLetter letter) {
    String topic = letter.originalTopic();
    if (topic.isEmpty()) {
      throw new IllegalStateException("dead letter " + letter.ref() + " does not say which topic it came from (no " + DeadLetter.ORIGINAL_TOPIC + " header)");
    }
    if (!existing().contains(topic)) {
      throw new IllegalStateException("dead letter " + letter.ref() + " came from " + topic + ", which the broker no longer has");
    }
    ensureReplayTopic();
    RecordMetadata put = send(new ProducerRecord<>(topic, null, letter.key(), letter.value(), letter.replayHeaders()));
    Replay replay = new Replay(letter.ref().toString(), letter.deadLetteredAt().toString(), put.topic(), put.partition(), put.offset(),
        Instant.now().toString());
    send(new ProducerRecord<>(REPLAYS, letter.ref().toString().getBytes(StandardCharsets.UTF_8), replay.toJson()));
    return replay;
  }

  private RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
    if (producer == null) {
      Map<String, Object> writing = new HashMap<>(client);
      writing.put(ProducerConfig.ACKS_CONFIG, "all");
      writing.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      writing.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
      writing.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
      producer = new KafkaProducer<>(writing, new ByteArraySerializer(), new ByteArraySerializer());
    }
    try {
      return producer.send(record).get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker refused the record for " + record.topic() + ": " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not take the record for " + record.topic() + " within " + WAIT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
    }
  }

  /** The replay record's topic, compacted, made before the first replay so that a replay is never published unrecorded for want of it. */
  private void ensureReplayTopic() {
    if (existing().contains(REPLAYS)) {
      return;
    }
    NewTopic topic = new NewTopic(REPLAYS, Optional.of(1), Optional.empty())
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(topic)).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create " + REPLAYS + " (where replays are recorded): " + e.getCause().getMessage(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not create " + REPLAYS + " within " + WAIT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Set<String> existing() {
    return await(admin.listTopics().names(), "list the topics");
  }

  private List<TopicPartition> partitions(Collection<String> topics) {
    if (topics.isEmpty()) {
      return List.of();
    }
    Map<String, TopicDescription> described = await(admin.describeTopics(topics).allTopicNames(), "describe " + topics);
    List<TopicPartition> partitions = new ArrayList<>();
    described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
    return partitions;
  }

  /** Every record of {@code partitions}, from the oldest retained to the end as it was when reading began. */
  private List<ConsumerRecord<byte[], byte[]>> readToEnd(List<TopicPartition> partitions) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    if (partitions.isEmpty()) {
      return records;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
    long deadline = System.nanoTime() + WAIT.toNanos();
    end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    while (!end.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + end.keySet() + " to its end within " + WAIT.toSeconds() + " s");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
        if (stop != null && record.offset() < stop) {
          records.add(record);
        }
      }
      end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    }
    return records;
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + " on the broker: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not answer within " + WAIT.toSeconds() + " s (to " + what + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    consumer.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
  }
}
