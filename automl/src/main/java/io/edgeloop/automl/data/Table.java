package io.edgeloop.automl.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable in-memory table: named columns, each either numeric ({@code double[]}, NaN =
 * missing) or text ({@code String[]}). The training service reads its files (Parquet, CSV) and
 * hands AutoML one of these.
 */
public final class Table {

  private final List<String> names;
  private final Map<String, Object> columns;
  private final int rows;

  private Table(List<String> names, Map<String, Object> columns, int rows) {
    this.names = names;
    this.columns = columns;
    this.rows = rows;
  }

  /** A table of numeric columns, in the map's iteration order. */
  public static Table ofNumeric(Map<String, double[]> numeric) {
    Builder b = builder();
    numeric.forEach(b::numeric);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> columnNames() {
    return names;
  }

  public int rowCount() {
    return rows;
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  public boolean isNumeric(String column) {
    return column(column) instanceof double[];
  }

  /** The values of a numeric column (do not modify). */
  public double[] numeric(String column) {
    if (!(column(column) instanceof double[] values)) {
      throw new IllegalArgumentException("column '" + column + "' is not numeric");
    }
    return values;
  }

  /** The values of any column as text (numbers are printed). */
  public String[] text(String column) {
    Object c = column(column);
    if (c instanceof String[] s) {
      return s;
    }
    double[] d = (double[]) c;
    String[] out = new String[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] == Math.rint(d[i]) && !Double.isInfinite(d[i]) ? Long.toString((long) d[i]) : Double.toString(d[i]);
    }
    return out;
  }

  private Object column(String name) {
    Object c = columns.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown column '" + name + "', columns are " + names);
    }
    return c;
  }

  /** Row {@code i} restricted to the numeric columns given, as the feature pipeline takes it. */
  public Map<String, Double> row(int i, List<String> numericColumns) {
    Map<String, Double> row = new HashMap<>();
    for (String c : numericColumns) {
      row.put(c, numeric(c)[i]);
    }
    return row;
  }

  /** Hex SHA-256 over column names, types and values: the dataset hash in provenance. */
  public String sha256() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(8);
      for (String name : names) {
        md.update(name.getBytes(StandardCharsets.UTF_8));
        Object c = columns.get(name);
        if (c instanceof double[] d) {
          md.update((byte) 'd');
          for (double v : d) {
            buf.clear();
            md.update(buf.putDouble(v).array());
          }
        } else {
          md.update((byte) 's');
          for (String s : (String[]) c) {
            md.update(String.valueOf(s).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds columns one by one; all must have the same length. */
  public static final class Builder {
    private final Map<String, Object> columns = new LinkedHashMap<>();
    private int rows = -1;

    public Builder numeric(String name, double[] values) {
      return add(name, values.clone(), values.length);
    }

    public Builder text(String name, String[] values) {
      return add(name, values.clone(), values.length);
    }

    private Builder add(String name, Object values, int length) {
      Objects.requireNonNull(name, "column name");
      if (columns.containsKey(name)) {
        throw new IllegalArgumentException("duplicate column '" + name + "'");
      }
      if (rows >= 0 && rows != length) {
        throw new IllegalArgumentException("column '" + name + "' has " + length + " rows, others " + rows);
      }
      rows = length;
      columns.put(name, values);
      return this;
    }

    public Table build() {
      return new Table(List.copyOf(columns.keySet()), Map.copyOf(columns), Math.max(rows, 0));
    }
  }
}
