package io.edgeloop.storage.dataset;

import java.util.List;
import java.util.NoSuchElementException;

/** A whole dataset version in memory, column by column (use {@link DatasetReader#forEachRow} for huge ones). */
public record DatasetTable(List<DatasetColumn> columns, long rowCount) {

  public List<Column> schema() {
    return columns.stream().map(c -> new Column(c.name(), c.type())).toList();
  }

  public DatasetColumn column(String name) {
    return columns.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no column '" + name + "' in " + schema()));
  }

  /** Row {@code i} as boxed values in schema order. */
  public Object[] row(int i) {
    Object[] row = new Object[columns.size()];
    for (int c = 0; c < row.length; c++) {
      row[c] = columns.get(c).values()[i];
    }
    return row;
  }
}
