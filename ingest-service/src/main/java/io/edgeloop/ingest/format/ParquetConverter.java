package io.edgeloop.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.ColumnProfile;
import io.edgeloop.storage.dataset.ParquetSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.schema.MessageType;

/**
 * Turns one input (CSV, headerless delimited text, JSON Lines; gzip or not) into a local Parquet
 * file, with a column profile and the file's sha256. The input is read in chunks cut at line ends
 * ({@link ChunkReader}); {@code threads} workers each parse a chunk into column vectors
 * ({@link ChunkParser}), profile it and encode it as one row group ({@link RowGroupEncoder}); this
 * thread appends the row groups in input order ({@link ParquetAssembler}) and counts lines, so a
 * problem is reported with its exact line number and the first problem in the input wins, as if
 * it had been read line by line. Memory is bounded, whatever the input's size: {@code threads + 2}
 * chunk buffers, and per worker its column vectors and one encoded row group ({@link Settings#bytesFor}). The header and, when types are not declared, the first
 * {@value #INFER_ROWS} rows (within the first {@value #INFER_BYTES} bytes) are read first, here.
 */
public final class ParquetConverter {
  static final int INFER_ROWS = 1000;
  static final int INFER_BYTES = 8 << 20;
  /** The first chunk is small, so nothing big is held before the shape of the rows is known. */
  static final int FIRST_CHUNK_BYTES = 1 << 20;
  /** Later chunks are sized so that one chunk's column vectors take about this much heap. */
  static final int VECTOR_BYTES_PER_CHUNK = 16 << 20;
  private static final Character[] OTHER_DELIMITERS = {',', ';', '\t', '|', null};

  /**
   * How a conversion may use the machine and how far an input may go.
   *
   * @param threads workers parsing and encoding chunks in parallel
   * @param chunkBytes the largest chunk (and so row group) of input text
   * @param maxLineBytes a longer line rejects the input ({@code line_too_long})
   * @param maxBytes more decompressed bytes reject the input ({@code too_large}); 0: no limit
   */
  public record Settings(int threads, int chunkBytes, int maxLineBytes, long maxBytes) {
    public Settings {
      if (threads < 1 || chunkBytes < 16 || maxLineBytes < 1) {
        throw new IllegalArgumentException("threads, chunk size and line limit must be positive: " + threads + ", " + chunkBytes + ", " + maxLineBytes);
      }
    }

    /** Chunks of up to 12 MB: about 72,000 C-MAPSS rows per row group, near DuckDB's 122,880 and as small a file. */
    public static final int DEFAULT_CHUNK_BYTES = 12 << 20;

    /** As many threads as there are CPUs and the heap holds ({@link #threadsFor}), 12 MB chunks, 1 MB lines, no size limit. */
    public static Settings defaults() {
      return new Settings(1, DEFAULT_CHUNK_BYTES, 1 << 20, 0).withThreads(0);
    }

    /** The same with {@code threads} workers; 0: {@link #threadsFor} the CPUs and heap of this JVM. */
    public Settings withThreads(int threads) {
      int chosen = threads > 0 ? threads
          : threadsFor(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 3, chunkBytes);
      return new Settings(chosen, chunkBytes, maxLineBytes, maxBytes);
    }

    /**
     * The most workers, up to {@code cpus}, whose chunks fit in {@code heapBytes}: {@code threads + 2}
     * chunk buffers (those in work, one being read, one being handed back) and, per worker, column
     * vectors ({@value #VECTOR_BYTES_PER_CHUNK} bytes at most) and an encoded row group.
     */
    static int threadsFor(int cpus, long heapBytes, int chunkBytes) {
      int threads = Math.max(1, cpus);
      while (threads > 1 && heapBytes < bytesFor(threads, chunkBytes)) {
        threads--;
      }
      return threads;
    }

    static long bytesFor(int threads, int chunkBytes) {
      return (long) (threads + 2) * chunkBytes + (long) threads * (VECTOR_BYTES_PER_CHUNK + (2 << 20));
    }
  }

  /** What came out: the schema used, rows written, per-column profile, the input format label, and the Parquet file's sha256 and size. */
  public record Result(List<Column> schema, long rows, Map<String, ColumnProfile> profile, String format, String sha256, long bytes) {}

  private final Settings settings;

  public ParquetConverter(Settings settings) {
    this.settings = settings;
  }

  public ParquetConverter() {
    this(Settings.defaults());
  }

  /**
   * @param knownSchema the dataset's current schema, or null: used for the types when a header or
   *     JSON keys name exactly its columns, so a stray text value is reported as a bad value rather
   *     than as a schema change
   * @param progress called after each chunk with the rows converted so far
   */
  public Result convert(InputStream raw, String name, TableFormat format, List<Column> knownSchema, Path out, LongConsumer progress)
      throws IOException, RejectedInputException {
    TableFormat resolved = format.resolve(name);
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), r -> {
      Thread t = new Thread(r, "ingest-convert");
      t.setDaemon(true);
      return t;
    });
    Run run = new Run(resolved, knownSchema, out, progress, pool);
    try {
      return run.convert(ChunkReader.open(raw, Math.min(FIRST_CHUNK_BYTES, settings.chunkBytes()), settings.maxLineBytes(), settings.maxBytes()));
    } catch (RejectedInputException | IOException | RuntimeException | Error e) {
      run.abandon();
      Files.deleteIfExists(out);
      throw e;
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      run.releaseEncoders();
    }
  }

  /** One conversion: the reading and ordering side runs on the caller's thread. */
  private final class Run {
    private final TableFormat format;
    private final List<Column> knownSchema;
    private final Path out;
    private final LongConsumer progress;
    private final ExecutorService pool;
    private final Deque<Future<Done>> inFlight = new ArrayDeque<>();
    private final List<RowGroupEncoder> encoders = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<RowGroupEncoder> encoder = new ThreadLocal<>();
    /** Each worker's column vectors, reused chunk after chunk (they are encoded before the next chunk). */
    private final ThreadLocal<ColumnVectors> vectors = new ThreadLocal<>();
    private ChunkReader reader;
    private List<Column> columns;
    private MessageType schema;
    private ColumnProfiler profile;
    private ParquetAssembler assembler;
    private long linesBefore;
    private long rows;

    Run(TableFormat format, List<Column> knownSchema, Path out, LongConsumer progress, ExecutorService pool) {
      this.format = format;
      this.knownSchema = knownSchema;
      this.out = out;
      this.progress = progress;
      this.pool = pool;
    }

    Result convert(ChunkReader chunks) throws IOException, RejectedInputException {
      reader = chunks;
      try {
        Prefix prefix = new Prefix();
        boolean header = readSchema(prefix);
        schema = ParquetSchemas.toParquet(columns);
        profile = new ColumnProfiler(ColumnVectors.kindsOf(columns));
        assembler = new ParquetAssembler(out, schema);
        reader.chunkBytes(chunkBytesFor(prefix.averageLineBytes()));
        linesBefore = prefix.linesBeforeStart;
        for (int i = 0; i < prefix.held.size(); i++) {
          Chunk chunk = prefix.held.get(i);
          inFlight.add(i == 0 ? submit(chunk, prefix.startOffset, prefix.startSkipped) : submit(chunk, 0, 0));
        }
        prefix.held.clear();
        drain();
        if (rows == 0) {
          throw header
              ? new RejectedInputException(RejectedInputException.NO_ROWS, "the input has a header line but no data rows")
              : new RejectedInputException(RejectedInputException.EMPTY, "the input has no data rows");
        }
        ParquetAssembler.Written written = assembler.finish();
        return new Result(columns, rows, profile.profile(columns), format.label(), written.sha256(), written.bytes());
      } finally {
        reader.close();
      }
    }

    /** Reads chunks, keeps up to threads + 1 of them in work, and takes the results in input order. */
    private void drain() throws IOException, RejectedInputException {
      boolean more = true;
      int window = settings.threads() + 1;
      while (true) {
        while (more && inFlight.size() < window) {
          try {
            Chunk chunk = reader.next();
            if (chunk == null) {
              more = false;
            } else {
              inFlight.add(submit(chunk, 0, 0));
            }
          } catch (IOException | RejectedInputException | LineProblem.Found e) {
            // Reported in order: a problem in an earlier chunk comes first.
            inFlight.add(CompletableFuture.failedFuture(e));
            more = false;
          }
        }
        Future<Done> next = inFlight.poll();
        if (next == null) {
          return;
        }
        take(await(next));
      }
    }

    private void take(Done done) throws IOException, RejectedInputException {
      if (done.problem() != null) {
        throw reject(done.problem());
      }
      if (done.rowGroup() != null) {
        assembler.append(done.rowGroup(), done.rows());
        profile.merge(done.profile());
        rows += done.rows();
      }
      linesBefore += done.lines();
      progress.accept(rows);
    }

    private RejectedInputException reject(LineProblem problem) {
      if (RejectedInputException.RAGGED_ROWS.equals(problem.reasonCode()) && problem.firstRowText() != null && rows == 0) {
        RejectedInputException wrong = wrongDelimiter(problem.firstRowText(), columns.size(), linesBefore + problem.lineInChunk());
        if (wrong != null) {
          return wrong;
        }
      }
      return problem.at(linesBefore);
    }

    private Done await(Future<Done> future) throws IOException, RejectedInputException {
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while converting", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof LineProblem.Found found) {
          throw reject(found.problem);
        }
        if (cause instanceof RejectedInputException r) {
          throw r;
        }
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IOException(cause);
      }
    }

    private Future<Done> submit(Chunk chunk, int from, long skippedLines) {
      return pool.submit(() -> work(chunk, from, skippedLines));
    }

    /** On a worker: parse, profile and encode one chunk. */
    private Done work(Chunk chunk, int from, long skippedLines) throws IOException {
      ChunkParser.Parsed parsed = new ChunkParser(format, columns, settings.maxLineBytes()).parse(chunk, from, skippedLines, vectors.get());
      reader.release(chunk);
      ColumnVectors v = parsed.vectors();
      vectors.set(v);
      if (parsed.problem() != null || v.rows == 0) {
        return new Done(parsed.lines(), 0, null, null, parsed.problem());
      }
      RowGroupEncoder mine = encoder.get();
      if (mine == null) {
        mine = new RowGroupEncoder(schema);
        encoder.set(mine);
        encoders.add(mine);
      }
      return new Done(parsed.lines(), v.rows, ColumnProfiler.of(v), mine.encode(v), null);
    }

    /** Later chunks: as big as allowed, but small enough that their column vectors stay near {@link #VECTOR_BYTES_PER_CHUNK}. */
    private int chunkBytesFor(double lineBytes) {
      double rowBytes = 0;
      boolean strings = false;
      for (int kind : ColumnVectors.kindsOf(columns)) {
        rowBytes += kind == ColumnVectors.BOOLEAN ? 2 : kind == ColumnVectors.STRING ? 5 : 9;
        strings |= kind == ColumnVectors.STRING;
      }
      if (strings) {
        rowBytes += lineBytes; // string contents: at most the text itself
      }
      long rowsPerChunk = (long) (VECTOR_BYTES_PER_CHUNK / rowBytes);
      long bytes = (long) (rowsPerChunk * lineBytes);
      return (int) Math.max(64 << 10, Math.min(settings.chunkBytes(), bytes));
    }

    void abandon() {
      for (Future<Done> f : inFlight) {
        f.cancel(true);
      }
      inFlight.clear();
      if (assembler != null) {
        try {
          assembler.close();
        } catch (IOException e) {
          // the file is deleted next
        }
      }
    }

    void releaseEncoders() {
      synchronized (encoders) {
        encoders.forEach(RowGroupEncoder::close);
      }
    }

    // ---- the header and the schema, read line by line before the workers start ----

    /** Settles {@link #columns}; returns whether the input has a header line. */
    private boolean readSchema(Prefix prefix) throws IOException, RejectedInputException {
      prefix.pull();
      if (format.kind() == TableFormat.Kind.JSONL) {
        columns = format.columns() != null ? format.columns() : inferJson(prefix);
        prefix.startAtFirstChunk();
        return false;
      }
      Tokenizer tokenizer = new Tokenizer(format.delimiter());
      List<String> header = null;
      if (format.header()) {
        String first = prefix.nextNonBlank(true);
        if (first == null) {
          throw new RejectedInputException(RejectedInputException.EMPTY, "the input has no lines");
        }
        header = headerNames(tokenizer.split(first));
        prefix.startAfterCurrentLine();
      } else {
        prefix.startAtFirstChunk();
      }
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
        List<List<String>> samples = new ArrayList<>();
        String line;
        while (samples.size() < INFER_ROWS && (line = prefix.nextNonBlank(prefix.heldBytes() < INFER_BYTES)) != null) {
          List<String> fields = tokenizer.split(line);
          if (fields.size() != header.size()) {
            RejectedInputException wrong = samples.isEmpty() ? wrongDelimiter(line, header.size(), prefix.lineNumber()) : null;
            throw wrong != null ? wrong : new RejectedInputException(RejectedInputException.RAGGED_ROWS,
                "line " + prefix.lineNumber() + " has " + fields.size() + " fields, expected " + header.size());
          }
          samples.add(fields);
        }
        columns = infer(header, samples);
      }
      return header != null;
    }

    private List<Column> inferJson(Prefix prefix) throws IOException, RejectedInputException {
      Set<String> keys = new LinkedHashSet<>();
      List<JsonNode> samples = new ArrayList<>();
      String line;
      while (samples.size() < INFER_ROWS && (line = prefix.nextNonBlank(prefix.heldBytes() < INFER_BYTES)) != null) {
        JsonNode node;
        try {
          node = ChunkParser.parseJson(line);
        } catch (ChunkParser.Problem p) {
          throw new RejectedInputException(p.reason, "line " + prefix.lineNumber() + p.detail);
        }
        node.fieldNames().forEachRemaining(keys::add);
        samples.add(node);
      }
      if (knownSchema != null && Set.copyOf(names(knownSchema)).equals(keys)) {
        return knownSchema;
      }
      List<String> names = List.copyOf(keys);
      List<List<String>> rowsOfText = new ArrayList<>();
      for (JsonNode node : samples) {
        List<String> fields = new ArrayList<>(names.size());
        for (String key : names) {
          fields.add(ChunkParser.textOf(node.get(key)));
        }
        rowsOfText.add(fields);
      }
      return infer(names, rowsOfText);
    }

    private RejectedInputException wrongDelimiter(String line, int expected, long lineNumber) {
      int found = new Tokenizer(format.delimiter()).split(line).size();
      for (Character other : OTHER_DELIMITERS) {
        if (!Objects.equals(other, format.delimiter()) && new Tokenizer(other).split(line).size() == expected) {
          return new RejectedInputException(RejectedInputException.WRONG_DELIMITER,
              "line " + lineNumber + " splits into " + found + " fields on " + Tokenizer.describe(format.delimiter())
                  + " but into the expected " + expected + " on " + Tokenizer.describe(other) + ": wrong delimiter");
        }
      }
      return null;
    }

    /**
     * The first chunks, read line by line (strictly decoded) for the header and type inference;
     * they are held and then handed to the workers from {@link #startOffset} of the first one on.
     */
    private final class Prefix {
      final List<Chunk> held = new ArrayList<>();
      long linesBeforeStart;
      int startOffset;
      long startSkipped;
      private int chunkIndex;
      private int pos;
      private long lineInChunk;
      private long linesBeforeChunk;
      private boolean ended;
      private final java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

      /** Reads the next chunk into the held ones; false at the end of the input. */
      boolean pull() throws IOException, RejectedInputException {
        if (ended) {
          return false;
        }
        Chunk chunk;
        try {
          chunk = reader.next();
        } catch (LineProblem.Found found) {
          throw found.problem.at(linesBeforeChunk + lineInChunk);
        }
        if (chunk == null) {
          ended = true;
          return false;
        }
        held.add(chunk);
        return true;
      }

      long heldBytes() {
        long bytes = 0;
        for (Chunk c : held) {
          bytes += c.length();
        }
        return bytes;
      }

      long lineNumber() {
        return linesBeforeChunk + lineInChunk;
      }

      /** The next non-blank line, or null at the end (or when the held chunks are used up and {@code mayPull} is false). */
      String nextNonBlank(boolean mayPull) throws IOException, RejectedInputException {
        while (true) {
          if (chunkIndex >= held.size() && !(mayPull && pull())) {
            return null;
          }
          Chunk chunk = held.get(chunkIndex);
          if (pos >= chunk.length()) {
            chunkIndex++;
            pos = 0;
            linesBeforeChunk += lineInChunk;
            lineInChunk = 0;
            continue;
          }
          byte[] buf = chunk.bytes();
          int end = ChunkParser.endOfLine(buf, pos, chunk.length());
          lineInChunk++;
          if (end - pos > settings.maxLineBytes()) {
            throw new RejectedInputException(RejectedInputException.LINE_TOO_LONG,
                "line " + lineNumber() + " is " + (end - pos) + " bytes long, more than the limit of " + settings.maxLineBytes() + " bytes");
          }
          String line;
          try {
            line = decoder.reset().decode(ByteBuffer.wrap(buf, pos, end - pos)).toString();
          } catch (CharacterCodingException e) {
            throw new RejectedInputException(RejectedInputException.INVALID_ENCODING,
                "line " + lineNumber() + " is not valid UTF-8 (" + e + ")", e);
          }
          pos = ChunkParser.next(buf, end, chunk.length());
          if (!line.isBlank()) {
            return line;
          }
        }
      }

      /** Workers start right after the line just read (the header); chunks before it held only blank lines. */
      void startAfterCurrentLine() {
        for (int i = 0; i < chunkIndex; i++) {
          reader.release(held.get(0));
          held.remove(0);
        }
        linesBeforeStart = linesBeforeChunk;
        chunkIndex = 0;
        startOffset = pos;
        startSkipped = lineInChunk;
      }

      void startAtFirstChunk() {
        linesBeforeStart = 0;
        startOffset = 0;
        startSkipped = 0;
      }

      /** Bytes per line in the first held chunk, for sizing later chunks. */
      double averageLineBytes() {
        if (held.isEmpty()) {
          return 100;
        }
        Chunk first = held.get(0);
        long lines = 1;
        byte[] buf = first.bytes();
        for (int i = 0; i < first.length(); i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
        return Math.max(1.0, (double) first.length() / lines);
      }
    }
  }

  /** What a worker made of one chunk: lines it spans, rows, their profile and row group, or its first problem. */
  private record Done(long lines, int rows, ColumnProfiler profile, ColumnChunkPageWriteStore rowGroup, LineProblem problem) {}

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
