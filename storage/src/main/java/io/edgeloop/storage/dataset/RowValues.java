package io.edgeloop.storage.dataset;

import java.util.Arrays;
import java.util.List;

/**
 * One row's values in typed slots, reused for every row (no boxing of numbers on the write path).
 * {@code int64} and {@code timestamp} (micros) use {@link #setLong}, {@code float64} {@link
 * #setDouble}, {@code boolean} {@link #setBoolean}, {@code string} {@link #setString}.
 */
public final class RowValues {
  final long[] longs;
  final double[] doubles;
  final boolean[] booleans;
  final String[] strings;
  final boolean[] present;

  public RowValues(List<Column> schema) {
    int n = schema.size();
    longs = new long[n];
    doubles = new double[n];
    booleans = new boolean[n];
    strings = new String[n];
    present = new boolean[n];
  }

  public void clear() {
    Arrays.fill(present, false);
  }

  public void setNull(int column) {
    present[column] = false;
  }

  public void setLong(int column, long value) {
    longs[column] = value;
    present[column] = true;
  }

  public void setDouble(int column, double value) {
    doubles[column] = value;
    present[column] = true;
  }

  public void setBoolean(int column, boolean value) {
    booleans[column] = value;
    present[column] = true;
  }

  public void setString(int column, String value) {
    strings[column] = value;
    present[column] = value != null;
  }

  public boolean isPresent(int column) {
    return present[column];
  }

  public long getLong(int column) {
    return longs[column];
  }

  public double getDouble(int column) {
    return doubles[column];
  }

  public boolean getBoolean(int column) {
    return booleans[column];
  }

  public String getString(int column) {
    return strings[column];
  }
}
