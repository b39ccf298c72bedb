package io.edgeloop.ingest;

import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.format.Presets;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.storage.StorageSettings;
import io.edgeloop.storage.dataset.Column;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The ingest-service's sources and rules ({@code edgeloop.ingest.*}).
 *
 * @param spoolDir local scratch space for Parquet files before they are stored (one at a time per
 *     worker; as big as the largest converted input)
 * @param verifyStored read every stored Parquet file back and compare its sha256 before announcing it
 * @param onSchemaChange default for every source: {@code reject} an input whose schema differs from
 *     its dataset's, or start a {@code new-dataset} named {@code <dataset>-<schema hash>}
 * @param shares folders (local or network mounts) polled for new files
 * @param blobs blob containers polled for new blobs
 * @param streams Kafka topics (also Event Hubs' Kafka endpoint) or Event Hubs over AMQP, batched into files
 * @param limits bounds on every input, whatever its source
 * @param conversion how inputs are turned into Parquet
 * @param claims how replicas share inputs
 */
@ConfigurationProperties("edgeloop.ingest")
@Validated
public record IngestProperties(
    Path spoolDir,
    @DefaultValue("true") boolean verifyStored,
    @DefaultValue("reject") SchemaChangePolicy onSchemaChange,
    @Valid List<Share> shares,
    @Valid List<Blob> blobs,
    @Valid List<Stream> streams,
    @Valid @DefaultValue Limits limits,
    @Valid @DefaultValue Conversion conversion,
    @Valid @DefaultValue Claims claims) {

  public IngestProperties {
    shares = shares == null ? List.of() : List.copyOf(shares);
    blobs = blobs == null ? List.of() : List.copyOf(blobs);
    streams = streams == null ? List.of() : List.copyOf(streams);
  }

  /**
   * Bounds on every input (each source's {@code max-file-size} bounds the original's bytes).
   *
   * @param maxLineLength a longer line (bytes, line end not counted) quarantines the input as
   *     {@code line_too_long}; memory never holds more than one such line per chunk
   * @param maxDecompressedSize more bytes after gunzipping (or of plain text) quarantine the input
   *     as {@code too_large}; a gzip bomb is stopped here after reading this much
   * @param maxAttempts an input whose ingestion fails this many times in an unexpected way (a bug,
   *     out of memory, the service dying while on it) is quarantined as {@code internal_error}
   *     instead of being tried again forever; failures of the store or the broker do not count
   */
  public record Limits(
      @DefaultValue("1MB") DataSize maxLineLength,
      @DefaultValue("100GB") DataSize maxDecompressedSize,
      @Positive @DefaultValue("3") int maxAttempts) {}

  /**
   * How inputs become Parquet.
   *
   * @param threads workers parsing and encoding chunks of one input in parallel; 0: one per CPU, as
   *     many as a third of the heap holds ({@code (threads + 2) x chunk-size + threads x 18 MB}: two
   *     at {@code -Xmx256m})
   * @param chunkSize the largest piece of input text one worker takes at a time (one Parquet row
   *     group; smaller when its rows would take more than 16 MB as column vectors); the first chunk
   *     of an input is at most 1 MB
   */
  public record Conversion(
      @DefaultValue("0") int threads,
      @DefaultValue("12MB") DataSize chunkSize) {

    /** The converter's settings, with the limits' line and size bounds. */
    public ParquetConverter.Settings settings(Limits limits) {
      return new ParquetConverter.Settings(1, Math.toIntExact(Math.min(chunkSize.toBytes(), 256L << 20)),
          Math.toIntExact(Math.min(limits.maxLineLength().toBytes(), Integer.MAX_VALUE - 16)), limits.maxDecompressedSize().toBytes())
          .withThreads(threads);
    }
  }

  /**
   * Replicas: every instance claims an input (a row in ingest's {@code source_claim} table) before
   * it reads it and renews the claim every third of the lease while it works on it.
   *
   * @param lease how long a claim lasts without renewal, so how soon an input of an instance that
   *     died is taken over by another; longer than the worst pause of a live instance (a full GC, a
   *     database failover), since a claim taken over is stored by the new owner alone
   */
  public record Claims(@NotNull @DefaultValue("30s") Duration lease) {}

  public enum SchemaChangePolicy {
    REJECT, NEW_DATASET
  }

  /** What happens to an original once its data is stored and announced. */
  public enum AfterSuccess {
    /** Move it to the processed area (shares' default). */
    MOVE,
    /** Delete it. */
    DELETE,
    /** Leave it where it is (blob containers' default: the persisted position remembers it). */
    KEEP
  }

  /**
   * How inputs are read.
   *
   * @param preset a named format: {@code cmapss} (NASA C-MAPSS: 26 blank-separated columns, no
   *     header), {@code csv} (comma, header, types inferred), {@code jsonl}
   * @param kind {@code csv}, {@code text}, {@code jsonl}, or {@code auto} (by file extension; the default)
   * @param delimiter {@code whitespace} (runs of blanks), {@code tab}, or one character such as {@code ,} or {@code ;}
   * @param header whether the first line names the columns (default: true for csv, false for text)
   * @param columns declared schema as {@code name:type} (types int64, float64, string, boolean,
   *     timestamp); without it, names come from the header or JSON keys and types are inferred
   */
  public record Format(String preset, TableFormat.Kind kind, String delimiter, Boolean header, List<String> columns) {

    public TableFormat toTableFormat() {
      TableFormat base = preset != null && !preset.isBlank() ? Presets.named(preset) : null;
      TableFormat.Kind k = kind != null ? kind : base != null ? base.kind() : TableFormat.Kind.AUTO;
      Character d = delimiter != null ? parseDelimiter(delimiter) : base != null ? base.delimiter() : defaultDelimiter(k);
      boolean h = header != null ? header : base != null ? base.header() : k == TableFormat.Kind.CSV || k == TableFormat.Kind.AUTO;
      List<Column> cols = columns != null && !columns.isEmpty() ? parseColumns(columns) : base != null ? base.columns() : null;
      return new TableFormat(k, d, h, cols);
    }

    private static Character defaultDelimiter(TableFormat.Kind kind) {
      return kind == TableFormat.Kind.TEXT ? null : ',';
    }

    private static Character parseDelimiter(String text) {
      return switch (text) {
        case "whitespace", "blanks", "space" -> null;
        case "tab", "\\t", "\t" -> '\t';
        default -> {
          if (text.length() != 1) {
            throw new IllegalArgumentException("delimiter must be whitespace, tab or one character, got '" + text + "'");
          }
          yield text.charAt(0);
        }
      };
    }

    private static List<Column> parseColumns(List<String> specs) {
      List<Column> out = new ArrayList<>();
      for (String spec : specs) {
        int colon = spec.lastIndexOf(':');
        out.add(colon < 0 ? new Column(spec.trim(), "string") : new Column(spec.substring(0, colon).trim(), spec.substring(colon + 1).trim()));
      }
      return out;
    }
  }

  /**
   * A watched folder. Files are complete once their size and mtime have not changed for {@code
   * settleTime}, or at once when a marker ({@code <file>.done}, {@code <file>.ready}) exists.
   * Hidden and temporary names ({@code .x}, {@code ~x}, {@code *.tmp}, {@code *.part},
   * {@code *.partial}, {@code *.crdownload}, {@code *.swp}) are ignored, so writers that rename into
   * place are picked up after the rename only.
   *
   * @param name used in logs and metrics; default: the folder name
   * @param path the folder
   * @param dataset the dataset every file becomes a version of (or set {@code datasetPerSubfolder})
   * @param datasetPerSubfolder one dataset per first-level subfolder, named after it
   * @param processedDir where originals go after success (default {@code <path>/.processed})
   * @param quarantineDir where rejected originals go, each with a {@code .reason.json} (default {@code <path>/.quarantine})
   * @param maxFileSize larger files are quarantined unread
   * @param onSchemaChange overrides the service default
   */
  public record Share(
      String name,
      @NotNull Path path,
      String dataset,
      boolean datasetPerSubfolder,
      @DefaultValue Format format,
      @DefaultValue("5s") Duration settleTime,
      @DefaultValue("2s") Duration pollInterval,
      Path processedDir,
      Path quarantineDir,
      @DefaultValue("move") AfterSuccess afterSuccess,
      @DefaultValue("10GB") DataSize maxFileSize,
      @DefaultValue({".done", ".ready"}) List<String> markerSuffixes,
      SchemaChangePolicy onSchemaChange) {

    public String displayName() {
      return name != null && !name.isBlank() ? name : path.getFileName().toString();
    }

    public Path processed() {
      return processedDir != null ? processedDir : path.resolve(".processed");
    }

    public Path quarantine() {
      return quarantineDir != null ? quarantineDir : path.resolve(".quarantine");
    }
  }

  /**
   * A blob container polled for new blobs; processed blobs are remembered (name and ETag) in the
   * store under {@code ingest/positions/}, so a restart neither repeats nor skips one.
   *
   * @param uri the container URL, as for {@code edgeloop.storage.uri}
   * @param azure credentials for it
   * @param prefix only blobs whose names start with it
   * @param afterSuccess {@code keep} (default) or {@code delete}
   */
  public record Blob(
      String name,
      @NotNull URI uri,
      @DefaultValue StorageSettings.Azure azure,
      @DefaultValue("") String prefix,
      @NotBlank String dataset,
      @DefaultValue Format format,
      @DefaultValue("5s") Duration pollInterval,
      @DefaultValue("10GB") DataSize maxFileSize,
      @DefaultValue("keep") AfterSuccess afterSuccess,
      SchemaChangePolicy onSchemaChange) {

    public String displayName() {
      return name != null && !name.isBlank() ? name : uri.getPath().replaceAll(".*/", "");
    }
  }

  /**
   * A stream of records, one record = one line of the format (JSON object by default), cut into
   * dataset versions by count or time window, per partition.
   *
   * @param kind {@code kafka} (also Event Hubs' Kafka endpoint, via {@code kafka} client properties) or {@code event-hubs} (AMQP)
   * @param topic the Kafka topic
   * @param group the Kafka consumer group
   * @param kafka extra Kafka client properties (e.g. {@code security.protocol: SASL_SSL},
   *     {@code sasl.mechanism: PLAIN}, {@code sasl.jaas.config} for Event Hubs); bootstrap servers
   *     default to {@code edgeloop.kafka.bootstrap-servers}
   * @param batchRecords a version is cut after this many records
   * @param batchWindow ... or this long after the batch's first record
   */
  public record Stream(
      String name,
      @DefaultValue("kafka") StreamKind kind,
      String topic,
      @NotBlank String dataset,
      @DefaultValue Format format,
      @DefaultValue("ingest-service") String group,
      Map<String, String> kafka,
      @Valid EventHubs eventHubs,
      @Positive @DefaultValue("10000") int batchRecords,
      @DefaultValue("30s") Duration batchWindow,
      SchemaChangePolicy onSchemaChange) {

    public String displayName() {
      return name != null && !name.isBlank() ? name : topic != null ? topic : eventHubs != null ? eventHubs.eventHubName() : dataset;
    }

    /** Stream records carry no header; JSON Lines unless configured otherwise. */
    public TableFormat tableFormat() {
      TableFormat f = format.toTableFormat();
      return f.kind() == TableFormat.Kind.AUTO ? TableFormat.JSON_LINES : new TableFormat(f.kind(), f.delimiter(), false, f.columns());
    }
  }

  public enum StreamKind {
    KAFKA, EVENT_HUBS
  }

  /**
   * Event Hubs over AMQP with an {@code EventProcessorClient}; checkpoints go to a blob container.
   *
   * @param connectionString the namespace or hub connection string
   * @param checkpointUri container URL for checkpoints (Azure, or Azurite in tests)
   * @param checkpointAzure credentials for the checkpoint container
   */
  public record EventHubs(
      String connectionString,
      String eventHubName,
      @DefaultValue("$Default") String consumerGroup,
      URI checkpointUri,
      @DefaultValue StorageSettings.Azure checkpointAzure) {}
}
