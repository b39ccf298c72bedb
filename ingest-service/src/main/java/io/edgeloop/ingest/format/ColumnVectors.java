package io.edgeloop.ingest.format;

import io.edgeloop.storage.dataset.Column;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one chunk, column by column in typed arrays (no boxing, no object per value): int64
 * and timestamp (micros) as {@code long}, float64 as {@code double}, boolean, and strings as UTF-8
 * bytes with offsets. A row is filled column by column and then {@link #commitRow() committed}.
 */
final class ColumnVectors {
  static final int INT64 = 0;
  static final int FLOAT64 = 1;
  static final int BOOLEAN = 2;
  static final int TIMESTAMP = 3;
  static final int STRING = 4;

  final int[] kinds;
  final long[][] longs;
  final double[][] doubles;
  final boolean[][] booleans;
  final StringColumn[] strings;
  final boolean[][] present;
  final int[] nulls;
  int rows;
  private int capacity;

  ColumnVectors(int[] kinds, int initialRows) {
    this.kinds = kinds;
    int n = kinds.length;
    capacity = Math.max(16, initialRows);
    longs = new long[n][];
    doubles = new double[n][];
    booleans = new boolean[n][];
    strings = new StringColumn[n];
    present = new boolean[n][];
    nulls = new int[n];
    for (int c = 0; c < n; c++) {
      present[c] = new boolean[capacity];
      switch (kinds[c]) {
        case INT64, TIMESTAMP -> longs[c] = new long[capacity];
        case FLOAT64 -> doubles[c] = new double[capacity];
        case BOOLEAN -> booleans[c] = new boolean[capacity];
        default -> strings[c] = new StringColumn(capacity);
      }
    }
  }

  static int[] kindsOf(List<Column> columns) {
    int[] kinds = new int[columns.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kindOf(columns.get(i).type());
    }
    return kinds;
  }

  static int kindOf(String type) {
    return switch (type) {
      case "int64" -> INT64;
      case "float64" -> FLOAT64;
      case "boolean" -> BOOLEAN;
      case "timestamp" -> TIMESTAMP;
      case "string" -> STRING;
      default -> throw new IllegalArgumentException("unknown column type " + type);
    };
  }

  /** Empties it for the next chunk, keeping its arrays (every column of every row is written before it is read). */
  void reset() {
    rows = 0;
    java.util.Arrays.fill(nulls, 0);
    for (StringColumn column : strings) {
      if (column != null) {
        column.size = 0;
      }
    }
  }

  /** Makes room for one more row; call before filling it. */
  void ensureRow() {
    if (rows < capacity) {
      return;
    }
    capacity = capacity + (capacity >> 1) + 16;
    for (int c = 0; c < kinds.length; c++) {
      present[c] = Arrays.copyOf(present[c], capacity);
      switch (kinds[c]) {
        case INT64, TIMESTAMP -> longs[c] = Arrays.copyOf(longs[c], capacity);
        case FLOAT64 -> doubles[c] = Arrays.copyOf(doubles[c], capacity);
        case BOOLEAN -> booleans[c] = Arrays.copyOf(booleans[c], capacity);
        default -> strings[c].ensureValues(capacity);
      }
    }
  }

  void setNull(int column) {
    present[column][rows] = false;
    nulls[column]++;
    if (strings[column] != null) {
      strings[column].addEmpty(rows);
    }
  }

  void setLong(int column, long value) {
    longs[column][rows] = value;
    present[column][rows] = true;
  }

  void setDouble(int column, double value) {
    doubles[column][rows] = value;
    present[column][rows] = true;
  }

  void setBoolean(int column, boolean value) {
    booleans[column][rows] = value;
    present[column][rows] = true;
  }

  void setString(int column, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    strings[column].add(rows, utf8, 0, utf8.length);
    present[column][rows] = true;
  }

  /** An ASCII string straight from the input bytes. */
  void setAscii(int column, byte[] bytes, int from, int to) {
    strings[column].add(rows, bytes, from, to - from);
    present[column][rows] = true;
  }

  void commitRow() {
    rows++;
  }

  /** UTF-8 values of one string column, back to back, with the offset where each row's value starts. */
  static final class StringColumn {
    byte[] data = new byte[1 << 12];
    int[] offsets;
    int size;

    StringColumn(int rows) {
      offsets = new int[rows + 1];
    }

    void ensureValues(int rows) {
      offsets = Arrays.copyOf(offsets, rows + 1);
    }

    void add(int row, byte[] bytes, int from, int length) {
      if (size + length > data.length) {
        data = Arrays.copyOf(data, Math.max(size + length, data.length + (data.length >> 1)));
      }
      System.arraycopy(bytes, from, data, size, length);
      size += length;
      offsets[row + 1] = size;
    }

    void addEmpty(int row) {
      offsets[row + 1] = size;
    }

    int start(int row) {
      return offsets[row];
    }

    int end(int row) {
      return offsets[row + 1];
    }
  }
}
