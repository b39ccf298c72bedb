package io.edgeloop.training;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataSource;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventType;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.DatasetReader;
import io.edgeloop.storage.dataset.ParquetRowWriter;
import io.edgeloop.storage.dataset.RowValues;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Test helpers playing the other systems: write a CSV dataset version, announce it, read what the service published. */
public final class TrainingEvents {
  private static final EventCodec CODEC = new EventCodec();

  /** Writes {@code rows} rows of y = 3x + 2 + noise as Parquet under {@code dir} and returns the DataLanded announcing it. */
  public static DataLanded landLinearData(Path dir, String dataset, long version, int rows, long seed) throws Exception {
    Path file = dir.resolve(dataset).resolve("v" + version).resolve("data.parquet");
    Files.createDirectories(file.getParent());
    List<Column> schema = List.of(new Column("x", "float64"), new Column("y", "float64"));
    Random random = new Random(seed);
    try (ParquetRowWriter writer = new ParquetRowWriter(file, schema)) {
      RowValues row = new RowValues(schema);
      for (int i = 0; i < rows; i++) {
        double x = random.nextDouble() * 10;
        row.clear();
        row.setDouble(0, x);
        row.setDouble(1, 3 * x + 2 + random.nextGaussian() * 0.5);
        writer.write(row);
      }
    }
    String sha256;
    try (var in = Files.newInputStream(file)) {
      sha256 = DatasetReader.sha256(in);
    }
    return new DataLanded(dataset, version, List.of(file.toUri().toString()), "parquet",
        List.of(new ColumnSpec("x", "float64"), new ColumnSpec("y", "float64")), rows, Files.size(file),
        sha256, new DataSource("share", dir.toString(), file.getFileName().toString()), Instant.now());
  }

  /**
   * Writes a small run-to-failure data set as Parquet: {@code units} engines, each degrading over
   * 30..60 cycles, with sensors drifting with wear plus noise (columns unit, cycle, s1, s2, s3).
   */
  public static DataLanded landDegradationData(Path dir, String dataset, long version, int units, long seed) throws Exception {
    Path file = dir.resolve(dataset).resolve("v" + version).resolve("data.parquet");
    Files.createDirectories(file.getParent());
    List<Column> schema = List.of(new Column("unit", "int64"), new Column("cycle", "int64"),
        new Column("s1", "float64"), new Column("s2", "float64"), new Column("s3", "float64"));
    Random random = new Random(seed);
    long rows = 0;
    try (ParquetRowWriter writer = new ParquetRowWriter(file, schema)) {
      RowValues row = new RowValues(schema);
      for (int u = 1; u <= units; u++) {
        int life = 30 + random.nextInt(31);
        for (int c = 1; c <= life; c++) {
          double wear = (double) c / life;
          row.clear();
          row.setLong(0, version * 1000 + u);
          row.setLong(1, c);
          row.setDouble(2, 640 + 5 * wear + random.nextGaussian() * 0.3);
          row.setDouble(3, 1.3 + 0.2 * wear * wear + random.nextGaussian() * 0.01);
          row.setDouble(4, random.nextGaussian());
          writer.write(row);
          rows++;
        }
      }
    }
    String sha256;
    try (var in = Files.newInputStream(file)) {
      sha256 = DatasetReader.sha256(in);
    }
    return new DataLanded(dataset, version, List.of(file.toUri().toString()), "parquet",
        List.of(new ColumnSpec("unit", "int64"), new ColumnSpec("cycle", "int64"), new ColumnSpec("s1", "float64"),
            new ColumnSpec("s2", "float64"), new ColumnSpec("s3", "float64")),
        rows, Files.size(file), sha256, new DataSource("share", dir.toString(), file.getFileName().toString()), Instant.now());
  }

  /** Writes an automl {@code Table} (numeric columns; unit and cycle as int64) as one Parquet dataset version. */
  public static DataLanded landTable(Path dir, String dataset, long version, io.edgeloop.automl.data.Table table) throws Exception {
    Path file = dir.resolve(dataset).resolve("v" + version).resolve("data.parquet");
    Files.createDirectories(file.getParent());
    List<Column> schema = table.columnNames().stream()
        .map(c -> new Column(c, c.equals("unit") || c.equals("cycle") ? "int64" : "float64")).toList();
    try (ParquetRowWriter writer = new ParquetRowWriter(file, schema)) {
      RowValues row = new RowValues(schema);
      for (int i = 0; i < table.rowCount(); i++) {
        row.clear();
        for (int c = 0; c < schema.size(); c++) {
          double v = table.numeric(schema.get(c).name())[i];
          if (schema.get(c).type().equals("int64")) {
            row.setLong(c, (long) v);
          } else {
            row.setDouble(c, v);
          }
        }
        writer.write(row);
      }
    }
    String sha256;
    try (var in = Files.newInputStream(file)) {
      sha256 = DatasetReader.sha256(in);
    }
    return new DataLanded(dataset, version, List.of(file.toUri().toString()), "parquet",
        schema.stream().map(c -> new ColumnSpec(c.name(), c.type())).toList(), table.rowCount(), Files.size(file), sha256,
        new DataSource("share", dir.toString(), file.getFileName().toString()), Instant.now());
  }

  public static void publish(EdgeloopEvent event) throws Exception {
    publish(event, URI.create("urn:test"));
  }

  /** Publishes with a plain Kafka producer and any {@code ce_source} (which any producer can set). */
  public static void publish(EdgeloopEvent event, URI source) throws Exception {
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(CODEC.toRecord(event, source)).get();
    }
  }

  /** Every record on {@code topics} as text (key, header values and value, UTF-8), read from the start until {@code quiet} passes without new records. */
  public static List<String> readRaw(List<String> topics, Duration quiet) {
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = EdgeloopKafka.plainConsumer(topics)) {
      long idleSince = System.nanoTime();
      while (System.nanoTime() - idleSince < quiet.toNanos()) {
        var polled = consumer.poll(Duration.ofMillis(200));
        if (!polled.isEmpty()) {
          idleSince = System.nanoTime();
        }
        for (ConsumerRecord<String, byte[]> r : polled) {
          StringBuilder text = new StringBuilder(r.topic()).append(' ').append(r.key()).append(' ');
          r.headers().forEach(h -> text.append(h.key()).append('=').append(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)).append(' '));
          records.add(text.append(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toString());
        }
      }
    }
    return records;
  }

  /** Every event of {@code type} on its topic matching {@code filter}, read from the start until {@code quiet} passes without new records. */
  @SuppressWarnings("unchecked")
  public static <E extends EdgeloopEvent> List<E> readAll(EventType type, Predicate<E> filter, Duration quiet) {
    List<E> events = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = EdgeloopKafka.plainConsumer(type.topic())) {
      long idleSince = System.nanoTime();
      while (System.nanoTime() - idleSince < quiet.toNanos()) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          idleSince = System.nanoTime();
        }
        for (ConsumerRecord<String, byte[]> r : records) {
          E data = (E) CODEC.decode(r.headers(), r.value()).data();
          if (filter.test(data)) {
            events.add(data);
          }
        }
      }
    }
    return events;
  }

  private TrainingEvents() {}
}
