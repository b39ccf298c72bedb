package io.edgeloop.ingest.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.ColumnProfile;
import io.edgeloop.storage.dataset.ParquetRowWriter;
import io.edgeloop.storage.dataset.RowValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;

/**
 * Streams one input (CSV, headerless delimited text, JSON Lines; gzip or not) into a local Parquet
 * file, one row at a time, profiling columns on the way. Memory: one row group plus, when types
 * are inferred, the first {@value #INFER_ROWS} rows.
 */
public final class ParquetConverter {
  static final int INFER_ROWS = 1000;
  private static final Character[] OTHER_DELIMITERS = {',', ';', '\t', '|', null};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What came out: the schema used, rows written, per-column profile, and the input format label. */
  public record Result(List<Column> schema, long rows, Map<String, ColumnProfile> profile, String format) {}

  /**
   * @param knownSchema the dataset's current schema, or null: used for the types when a header or
   *     JSON keys name exactly its columns, so a stray text value is reported as a bad value rather
   *     than as a schema change
   * @param progress called every 100,000 rows with the row count
   */
  public Result convert(InputStream raw, String name, TableFormat format, List<Column> knownSchema, Path out, LongConsumer progress)
      throws IOException, RejectedInputException {
    TableFormat resolved = format.resolve(name);
    try (LineReader lines = LineReader.open(raw)) {
      Run run = new Run(lines, resolved, knownSchema, out, progress);
      try {
        return resolved.kind() == TableFormat.Kind.JSONL ? run.jsonLines() : run.delimited();
      } finally {
        run.stop();
      }
    } catch (RejectedInputException | IOException | RuntimeException e) {
      Files.deleteIfExists(out);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Files.deleteIfExists(out);
      throw new IOException("interrupted while converting " + name, e);
    }
  }

  private static final class Run {
    private final LineReader lines;
    private final TableFormat format;
    private final List<Column> knownSchema;
    private final Path out;
    private final LongConsumer progress;
    private ParquetRowWriter writer;
    private ColumnProfiler profiler;
    private ValueParser parser;
    private Pipeline pipeline;
    private List<Column> columns;
    private long dataRows;

    Run(LineReader lines, TableFormat format, List<Column> knownSchema, Path out, LongConsumer progress) {
      this.lines = lines;
      this.format = format;
      this.knownSchema = knownSchema;
      this.out = out;
      this.progress = progress;
    }

    Result delimited() throws IOException, RejectedInputException, InterruptedException {
      Tokenizer tokenizer = new Tokenizer(format.delimiter());
      List<String> header = null;
      if (format.header()) {
        String first = nextNonBlank();
        if (first == null) {
          throw new RejectedInputException(RejectedInputException.EMPTY, "the input has no lines");
        }
        header = headerNames(tokenizer.split(first));
      }
      List<List<String>> buffered = new ArrayList<>();
      if (format.columns() != null) {
        columns = format.columns();
        if (header != null && header.size() != columns.size()) {
          throw new RejectedInputException(RejectedInputException.SCHEMA_MISMATCH,
              "the header has " + header.size() + " fields " + header + ", the configured schema " + columns.size());
        }
      } else if (header == null) {
        throw new RejectedInputException(RejectedInputException.UNKNOWN_FORMAT,
            "headerless text needs declared columns (format.columns or a preset)");
      } else if (knownSchema != null && names(knownSchema).equals(header)) {
        columns = knownSchema;
      } else {
        String line;
        while (buffered.size() < INFER_ROWS && (line = nextNonBlank()) != null) {
          List<String> fields = tokenizer.split(line);
          checkWidth(fields, header.size(), line, buffered.isEmpty());
          buffered.add(fields);
        }
        columns = infer(header, buffered);
      }
      start();
      for (List<String> fields : buffered) {
        add(fields, lines.lineNumber() - buffered.size() + 1);
      }
      List<String> fields = new ArrayList<>(columns.size());
      String line;
      while ((line = nextNonBlank()) != null) {
        tokenizer.split(line, fields);
        checkWidth(fields, columns.size(), line, dataRows == 0);
        add(fields, lines.lineNumber());
      }
      return finish(header != null);
    }

    Result jsonLines() throws IOException, RejectedInputException, InterruptedException {
      List<JsonNode> buffered = new ArrayList<>();
      if (format.columns() != null) {
        columns = format.columns();
      } else {
        Set<String> keys = new LinkedHashSet<>();
        String line;
        while (buffered.size() < INFER_ROWS && (line = nextNonBlank()) != null) {
          JsonNode node = parseJson(line);
          node.fieldNames().forEachRemaining(keys::add);
          buffered.add(node);
        }
        if (knownSchema != null && Set.copyOf(names(knownSchema)).equals(keys)) {
          columns = knownSchema;
        } else {
          List<String> names = List.copyOf(keys);
          List<List<String>> rows = new ArrayList<>();
          for (JsonNode node : buffered) {
            rows.add(fieldsOf(node, names));
          }
          columns = infer(names, rows);
        }
      }
      List<String> names = names(columns);
      start();
      long first = lines.lineNumber() - buffered.size() + 1;
      for (JsonNode node : buffered) {
        checkKeys(node, names, first);
        add(fieldsOf(node, names), first++);
      }
      String line;
      while ((line = nextNonBlank()) != null) {
        JsonNode node = parseJson(line);
        checkKeys(node, names, lines.lineNumber());
        add(fieldsOf(node, names), lines.lineNumber());
      }
      return finish(false);
    }

    private void start() throws IOException, InterruptedException {
      parser = new ValueParser(columns);
      profiler = new ColumnProfiler(columns);
      writer = new ParquetRowWriter(out, columns);
      pipeline = new Pipeline(columns, profiler, writer);
    }

    private void add(List<String> fields, long line) throws RejectedInputException, InterruptedException {
      parser.parse(fields, pipeline.next(), line);
      pipeline.commit();
      if (++dataRows % 100_000 == 0) {
        progress.accept(dataRows);
      }
    }

    /** Ends the writer thread and closes the file, whether the conversion finished or failed. */
    void stop() throws IOException, InterruptedException {
      if (pipeline != null) {
        pipeline.stop();
        pipeline = null;
      }
      if (writer != null) {
        writer.close();
        writer = null;
      }
    }

    private Result finish(boolean hadHeader) throws IOException, RejectedInputException, InterruptedException {
      if (pipeline != null) {
        pipeline.finish();
      }
      stop();
      if (dataRows == 0) {
        throw hadHeader
            ? new RejectedInputException(RejectedInputException.NO_ROWS, "the input has a header line but no data rows")
            : new RejectedInputException(RejectedInputException.EMPTY, "the input has no data rows");
      }
      return new Result(columns, dataRows, profiler.profile(), format.label());
    }

    private String nextNonBlank() throws IOException, RejectedInputException {
      String line;
      while ((line = lines.next()) != null) {
        if (!line.isBlank()) {
          return line;
        }
      }
      return null;
    }

    private void checkWidth(List<String> fields, int expected, String line, boolean firstRow) throws RejectedInputException {
      if (fields.size() == expected) {
        return;
      }
      if (firstRow) {
        for (Character other : OTHER_DELIMITERS) {
          if (!java.util.Objects.equals(other, format.delimiter())
              && new Tokenizer(other).split(line).size() == expected) {
            throw new RejectedInputException(RejectedInputException.WRONG_DELIMITER,
                "line " + lines.lineNumber() + " splits into " + fields.size() + " fields on " + Tokenizer.describe(format.delimiter())
                    + " but into the expected " + expected + " on " + Tokenizer.describe(other) + ": wrong delimiter");
          }
        }
      }
      throw new RejectedInputException(RejectedInputException.RAGGED_ROWS,
          "line " + lines.lineNumber() + " has " + fields.size() + " fields, expected " + expected);
    }

    private JsonNode parseJson(String line) throws RejectedInputException {
      try {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
          throw new RejectedInputException(RejectedInputException.INVALID_JSON, "line " + lines.lineNumber() + " is not a JSON object");
        }
        return node;
      } catch (JsonProcessingException e) {
        throw new RejectedInputException(RejectedInputException.INVALID_JSON,
            "line " + lines.lineNumber() + " is not valid JSON: " + e.getOriginalMessage(), e);
      }
    }

    private static void checkKeys(JsonNode node, List<String> names, long line) throws RejectedInputException {
      Iterator<String> it = node.fieldNames();
      while (it.hasNext()) {
        String key = it.next();
        if (!names.contains(key)) {
          throw new RejectedInputException(RejectedInputException.SCHEMA_MISMATCH,
              "line " + line + " has field '" + key + "', which is not in the schema " + names);
        }
      }
    }

    private static List<String> fieldsOf(JsonNode node, List<String> names) {
      List<String> fields = new ArrayList<>(names.size());
      for (String name : names) {
        JsonNode value = node.get(name);
        fields.add(value == null || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString());
      }
      return fields;
    }

    private static List<String> headerNames(List<String> raw) throws RejectedInputException {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        String name = raw.get(i).trim();
        name = name.isEmpty() ? "column_" + (i + 1) : name;
        if (names.contains(name)) {
          throw new RejectedInputException(RejectedInputException.SCHEMA_MISMATCH, "the header names column '" + name + "' twice");
        }
        names.add(name);
      }
      return names;
    }

    private static List<Column> infer(List<String> names, List<List<String>> rows) {
      List<Column> inferred = new ArrayList<>();
      for (int c = 0; c < names.size(); c++) {
        List<String> samples = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
          samples.add(r.get(c));
        }
        inferred.add(new Column(names.get(c), ValueParser.infer(samples)));
      }
      return inferred;
    }

    private static List<String> names(List<Column> columns) {
      return columns.stream().map(Column::name).toList();
    }
  }

  /**
   * Parsing (this thread) and Parquet encoding plus profiling (a writer thread) overlap: parsed rows
   * go over in batches of {@value #BATCH}, three batches cycling, so memory stays fixed.
   */
  private static final class Pipeline {
    static final int BATCH = 1024;
    private static final Batch END = new Batch(List.of());

    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(3);
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(4);
    private final ColumnProfiler profiler;
    private final ParquetRowWriter writer;
    private final Thread thread;
    private volatile Throwable failure;
    private Batch current;
    private boolean stopped;

    Pipeline(List<Column> columns, ColumnProfiler profiler, ParquetRowWriter writer) throws InterruptedException {
      this.profiler = profiler;
      this.writer = writer;
      for (int i = 0; i < 3; i++) {
        free.add(new Batch(columns));
      }
      current = free.take();
      thread = new Thread(this::drain, "parquet-writer");
      thread.setDaemon(true);
      thread.start();
    }

    /** The next row slot to fill; {@link #commit()} once it is filled. */
    RowValues next() throws InterruptedException {
      if (current.size == BATCH) {
        full.put(current);
        current = free.take();
      }
      return current.rows[current.size];
    }

    void commit() {
      current.size++;
    }

    /** Hands over the last rows, waits for the writer, and rethrows what failed there. */
    void finish() throws IOException, InterruptedException {
      if (current.size > 0) {
        full.put(current);
      }
      stop();
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure != null) {
        throw new IOException("writing Parquet failed: " + failure, failure);
      }
    }

    void stop() throws InterruptedException {
      if (!stopped) {
        stopped = true;
        full.put(END); // never blocks for long: at most three batches are ever in the queue
        thread.join();
      }
    }

    private void drain() {
      while (true) {
        Batch batch;
        try {
          batch = full.take();
        } catch (InterruptedException e) {
          return;
        }
        if (batch == END) {
          return;
        }
        if (failure == null) {
          try {
            for (int i = 0; i < batch.size; i++) {
              profiler.add(batch.rows[i]);
              writer.write(batch.rows[i]);
            }
          } catch (IOException | RuntimeException e) {
            failure = e;
          }
        }
        batch.size = 0;
        free.add(batch);
      }
    }

    private static final class Batch {
      final RowValues[] rows;
      int size;

      Batch(List<Column> columns) {
        rows = new RowValues[columns.isEmpty() ? 0 : BATCH];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = new RowValues(columns);
        }
      }
    }
  }
}
