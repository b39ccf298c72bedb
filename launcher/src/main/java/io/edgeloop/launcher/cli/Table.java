package io.edgeloop.launcher.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A table for people: upper-case headers, columns as wide as their widest cell (up to a limit), "(none)" when empty. */
public final class Table {
  private static final int MAX_WIDTH = 48;
  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  private Table(String... headers) {
    this.headers = headers;
  }

  public static Table of(String... headers) {
    return new Table(headers);
  }

  public Table row(Object... cells) {
    String[] row = new String[headers.length];
    for (int i = 0; i < headers.length; i++) {
      row[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
    }
    rows.add(row);
    return this;
  }

  public void print(PrintStream out) {
    if (rows.isEmpty()) {
      out.println("(none)");
      return;
    }
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.min(MAX_WIDTH, Math.max(widths[i], row[i].length()));
      }
    }
    line(out, headers, widths);
    rows.forEach(row -> line(out, row, widths));
  }

  private static void line(PrintStream out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i].length() > widths[i] ? cells[i].substring(0, widths[i] - 3) + "..." : cells[i];
      line.append(cell).append(" ".repeat(widths[i] - cell.length() + 2));
    }
    out.println(line.toString().stripTrailing());
  }
}
