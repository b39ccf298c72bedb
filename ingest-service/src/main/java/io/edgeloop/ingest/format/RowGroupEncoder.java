package io.edgeloop.ingest.format;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Encodes one chunk's {@link ColumnVectors} as one Parquet row group in memory, column by column
 * (one column's dictionary stays in cache; writing row by row across 26 dictionaries was where
 * parquet-mr's record writer spent most of its time). Per column: a dictionary page with
 * dictionary-coded data pages when that is smaller than plain values (parquet-mr's own rule), else
 * plain pages; definition levels as RLE; statistics per page; Snappy. parquet-mr's
 * {@link ColumnChunkPageWriteStore} compresses the pages and builds the column and offset indexes;
 * {@link ParquetAssembler} appends the row group to the file later, in input order. One encoder per
 * thread (the compressor is not thread-safe); {@link #close()} releases it.
 */
final class RowGroupEncoder implements AutoCloseable {
  /** parquet-mr's defaults: 1 MiB pages, dictionaries up to 1 MiB, column index values cut at 64 bytes. */
  static final int PAGE_BYTES = 1 << 20;
  static final int MAX_DICTIONARY_BYTES = 1 << 20;
  private static final int COLUMN_INDEX_TRUNCATE_LENGTH = 64;

  private final MessageType schema;
  private final List<ColumnDescriptor> descriptors;
  private final CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), PAGE_BYTES);
  private final CompressionCodecFactory.BytesInputCompressor compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
  private final HeapByteBufferAllocator allocator = new HeapByteBufferAllocator();
  /** Dictionary ids of one column's rows, reused column after column. */
  private int[] ids = new int[0];

  RowGroupEncoder(MessageType schema) {
    this.schema = schema;
    this.descriptors = schema.getColumns();
  }

  /** The row group's pages, ready for {@link ColumnChunkPageWriteStore#flushToFileWriter}. */
  ColumnChunkPageWriteStore encode(ColumnVectors v) throws IOException {
    ColumnChunkPageWriteStore store = new ColumnChunkPageWriteStore(compressor, schema, allocator, COLUMN_INDEX_TRUNCATE_LENGTH, false);
    for (int c = 0; c < v.kinds.length; c++) {
      ColumnDescriptor descriptor = descriptors.get(c);
      new ColumnEncoder(v, c, store.getPageWriter(descriptor), descriptor).write();
    }
    return store;
  }

  @Override
  public void close() {
    codecs.release();
  }

  /** One column of one row group. */
  private final class ColumnEncoder {
    private final ColumnVectors v;
    private final int c;
    private final int kind;
    private final boolean[] present;
    private final PageWriter pages;
    private final ColumnDescriptor descriptor;
    private final ColumnVectors.StringColumn strings;

    ColumnEncoder(ColumnVectors v, int c, PageWriter pages, ColumnDescriptor descriptor) {
      this.v = v;
      this.c = c;
      this.kind = v.kinds[c];
      this.present = v.present[c];
      this.pages = pages;
      this.descriptor = descriptor;
      this.strings = v.strings[c];
    }

    void write() throws IOException {
      int rows = v.rows;
      int values = rows - v.nulls[c];
      long plainBytes = kind == ColumnVectors.BOOLEAN ? (values + 7) / 8
          : kind == ColumnVectors.STRING ? 4L * values + strings.size : 8L * values;
      Dictionary dictionary = kind == ColumnVectors.BOOLEAN ? null : dictionary(rows);
      boolean useDictionary = false;
      if (dictionary != null) {
        int bitWidth = BytesUtils.getWidthFromMaxInt(dictionary.size - 1);
        long encodedIds = ((long) values * bitWidth + 7) / 8 + 8;
        useDictionary = encodedIds + dictionary.bytes < plainBytes;
      }
      if (useDictionary) {
        pages.writeDictionaryPage(new DictionaryPage(BytesInput.from(dictionary.plain()), dictionary.size, Encoding.PLAIN_DICTIONARY));
      }
      int rowsPerPage = rowsPerPage(rows, plainBytes);
      for (int from = 0; from < rows; from += rowsPerPage) {
        int to = Math.min(rows, from + rowsPerPage);
        page(from, to, useDictionary ? dictionary : null);
      }
    }

    private int rowsPerPage(int rows, long plainBytes) {
      if (plainBytes <= PAGE_BYTES || rows == 0) {
        return Math.max(1, rows);
      }
      long pageCount = (plainBytes + PAGE_BYTES - 1) / PAGE_BYTES;
      return (int) Math.max(1, (rows + pageCount - 1) / pageCount);
    }

    private void page(int from, int to, Dictionary dictionary) throws IOException {
      int count = to - from;
      int nulls = 0;
      for (int r = from; r < to; r++) {
        if (!present[r]) {
          nulls++;
        }
      }
      Statistics<?> stats = Statistics.createStats(descriptor.getPrimitiveType());
      stats.incrementNumNulls(nulls);
      BytesInput values = dictionary != null ? dictionaryIds(from, to, dictionary, stats) : plainValues(from, to, count - nulls, stats);
      pages.writePage(BytesInput.concat(definitionLevels(from, to, nulls), values), count, count, stats,
          Encoding.BIT_PACKED, Encoding.RLE, dictionary != null ? Encoding.PLAIN_DICTIONARY : Encoding.PLAIN);
    }

    /** Definition levels (1 = present) as RLE with their 4-byte length, as data page v1 wants them. */
    private BytesInput definitionLevels(int from, int to, int nulls) throws IOException {
      BytesInput levels;
      if (nulls == 0) {
        // One RLE run of (to - from) ones: the varint header (count << 1), then the value in one byte.
        byte[] run = new byte[6];
        int n = writeUnsignedVarInt(run, (to - from) << 1);
        run[n++] = 1;
        levels = BytesInput.from(run, 0, n);
      } else {
        RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(1, 1024, PAGE_BYTES, allocator);
        for (int r = from; r < to; r++) {
          encoder.writeInt(present[r] ? 1 : 0);
        }
        levels = BytesInput.copy(encoder.toBytes());
        encoder.close();
      }
      return BytesInput.concat(BytesInput.fromInt(Math.toIntExact(levels.size())), levels);
    }

    private BytesInput dictionaryIds(int from, int to, Dictionary dictionary, Statistics<?> stats) throws IOException {
      int bitWidth = BytesUtils.getWidthFromMaxInt(dictionary.size - 1);
      RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(bitWidth, 64 * 1024, PAGE_BYTES, allocator);
      int[] ids = dictionary.ids;
      for (int r = from; r < to; r++) {
        if (present[r]) {
          encoder.writeInt(ids[r]);
          update(stats, r);
        }
      }
      BytesInput encoded = BytesInput.concat(BytesInput.from(new byte[] {(byte) bitWidth}), BytesInput.copy(encoder.toBytes()));
      encoder.close();
      return encoded;
    }

    private BytesInput plainValues(int from, int to, int values, Statistics<?> stats) {
      switch (kind) {
        case ColumnVectors.BOOLEAN -> {
          byte[] out = new byte[(values + 7) / 8];
          int i = 0;
          for (int r = from; r < to; r++) {
            if (present[r]) {
              if (v.booleans[c][r]) {
                out[i >> 3] |= (byte) (1 << (i & 7));
              }
              i++;
              update(stats, r);
            }
          }
          return BytesInput.from(out);
        }
        case ColumnVectors.STRING -> {
          int bytes = 0;
          for (int r = from; r < to; r++) {
            if (present[r]) {
              bytes += 4 + strings.end(r) - strings.start(r);
            }
          }
          byte[] out = new byte[bytes];
          int at = 0;
          for (int r = from; r < to; r++) {
            if (present[r]) {
              at = putBinary(out, at, strings.data, strings.start(r), strings.end(r));
              update(stats, r);
            }
          }
          return BytesInput.from(out);
        }
        default -> {
          byte[] out = new byte[8 * values];
          int at = 0;
          for (int r = from; r < to; r++) {
            if (present[r]) {
              putLong(out, at, bits(r));
              at += 8;
              update(stats, r);
            }
          }
          return BytesInput.from(out);
        }
      }
    }

    private long bits(int r) {
      return kind == ColumnVectors.FLOAT64 ? Double.doubleToRawLongBits(v.doubles[c][r]) : v.longs[c][r];
    }

    private void update(Statistics<?> stats, int r) {
      switch (kind) {
        case ColumnVectors.FLOAT64 -> stats.updateStats(v.doubles[c][r]);
        case ColumnVectors.BOOLEAN -> stats.updateStats(v.booleans[c][r]);
        case ColumnVectors.STRING -> stats.updateStats(
            Binary.fromConstantByteArray(strings.data, strings.start(r), strings.end(r) - strings.start(r)));
        default -> stats.updateStats(v.longs[c][r]);
      }
    }

    /** The column's distinct values and each row's id, or null once they pass {@link #MAX_DICTIONARY_BYTES}. */
    private Dictionary dictionary(int rows) {
      if (ids.length < rows) {
        ids = new int[rows + (rows >> 3)];
      }
      return Dictionary.of(this, strings, present, rows, ids);
    }
  }

  /**
   * Distinct values of one column chunk in first-seen order, found with an open-addressing table
   * keyed by the values' bits (numbers: so -0.0 and 0.0 or two NaNs stay what they were) or by a
   * hash of their bytes (strings, then compared byte for byte), and each row's id.
   */
  private static final class Dictionary {
    final int[] ids;
    int size;
    long bytes;
    private final ColumnVectors.StringColumn strings;
    private int[] slots = new int[1024];
    private long[] keys = new long[64];
    private int[] firstRows = new int[64];

    private Dictionary(int[] ids, ColumnVectors.StringColumn strings) {
      this.ids = ids;
      this.strings = strings;
    }

    /** The dictionary of a column (row ids in {@code ids}), or null once it passes {@link #MAX_DICTIONARY_BYTES}. */
    static Dictionary of(RowGroupEncoder.ColumnEncoder column, ColumnVectors.StringColumn strings, boolean[] present, int rows, int[] ids) {
      Dictionary d = new Dictionary(ids, strings);
      for (int r = 0; r < rows; r++) {
        if (present[r] && !d.put(r, strings == null ? column.bits(r) : hash(strings.data, strings.start(r), strings.end(r)))) {
          return null;
        }
      }
      return d;
    }

    /** Gives row {@code r} its value's id; false when the dictionary grew too big. */
    private boolean put(int r, long key) {
      int mask = slots.length - 1;
      int h = mix(key) & mask;
      while (true) {
        int slot = slots[h];
        if (slot == 0) {
          add(h, r, key);
          bytes += strings == null ? 8 : 4 + strings.end(r) - strings.start(r);
          return bytes <= MAX_DICTIONARY_BYTES;
        }
        int id = slot - 1;
        if (keys[id] == key && (strings == null || sameBytes(firstRows[id], r))) {
          ids[r] = id;
          return true;
        }
        h = (h + 1) & mask;
      }
    }

    private boolean sameBytes(int a, int b) {
      return Arrays.equals(strings.data, strings.start(a), strings.end(a), strings.data, strings.start(b), strings.end(b));
    }

    private void add(int h, int r, long key) {
      int id = size++;
      if (id == keys.length) {
        keys = Arrays.copyOf(keys, id * 2);
        firstRows = Arrays.copyOf(firstRows, id * 2);
      }
      keys[id] = key;
      firstRows[id] = r;
      ids[r] = id;
      slots[h] = id + 1;
      if (size * 2 > slots.length) {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int i = 0; i < size; i++) {
          int at = mix(keys[i]) & mask;
          while (bigger[at] != 0) {
            at = (at + 1) & mask;
          }
          bigger[at] = i + 1;
        }
        slots = bigger;
      }
    }

    /** The dictionary page's values, PLAIN-encoded. */
    byte[] plain() {
      byte[] out = new byte[Math.toIntExact(bytes)];
      int at = 0;
      for (int id = 0; id < size; id++) {
        if (strings == null) {
          putLong(out, at, keys[id]);
          at += 8;
        } else {
          int r = firstRows[id];
          at = putBinary(out, at, strings.data, strings.start(r), strings.end(r));
        }
      }
      return out;
    }

    private static long hash(byte[] data, int from, int to) {
      long h = 1125899906842597L;
      for (int i = from; i < to; i++) {
        h = 31 * h + data[i];
      }
      return h;
    }

    private static int mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }

  private static void putLong(byte[] out, int at, long value) {
    for (int i = 0; i < 8; i++) {
      out[at + i] = (byte) (value >>> (8 * i));
    }
  }

  private static int putBinary(byte[] out, int at, byte[] data, int from, int to) {
    int length = to - from;
    out[at] = (byte) length;
    out[at + 1] = (byte) (length >>> 8);
    out[at + 2] = (byte) (length >>> 16);
    out[at + 3] = (byte) (length >>> 24);
    System.arraycopy(data, from, out, at + 4, length);
    return at + 4 + length;
  }

  private static int writeUnsignedVarInt(byte[] out, int value) {
    int n = 0;
    while ((value & ~0x7F) != 0) {
      out[n++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[n++] = (byte) value;
    return n;
  }
}
