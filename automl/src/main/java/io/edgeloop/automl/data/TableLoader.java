package io.edgeloop.automl.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads small text tables for tests and benchmarks ({@code .gz} is unzipped on the fly). */
public final class TableLoader {

  /** Column names of the NASA C-MAPSS files: unit, cycle, op_setting_1..3, sensor_1..21. */
  public static final List<String> CMAPSS_COLUMNS = cmapssColumns();

  private TableLoader() {}

  private static List<String> cmapssColumns() {
    List<String> names = new ArrayList<>(List.of("unit", "cycle", "op_setting_1", "op_setting_2", "op_setting_3"));
    for (int i = 1; i <= 21; i++) {
      names.add("sensor_" + i);
    }
    return List.copyOf(names);
  }

  /** A whitespace-separated C-MAPSS file (no header, 26 numeric columns). */
  public static Table cmapss(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = reader(file)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          rows.add(line.trim().split("\\s+"));
        }
      }
    }
    return build(CMAPSS_COLUMNS, rows, file);
  }

  /** The first number of every non-blank line (e.g. C-MAPSS {@code RUL_FD001.txt}). */
  public static double[] firstColumn(Path file) throws IOException {
    List<Double> values = new ArrayList<>();
    try (BufferedReader r = reader(file)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          values.add(Double.parseDouble(line.trim().split("\\s+")[0]));
        }
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A comma-separated file with a header row; a column whose non-empty values all parse as numbers
   * is numeric (empty = NaN), any other column is text.
   */
  public static Table csv(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    List<String> header;
    try (BufferedReader r = reader(file)) {
      String first = r.readLine();
      if (first == null) {
        throw new IOException(file + " is empty: a header row is required");
      }
      header = List.of(first.split(",", -1));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
    }
    return build(header, rows, file);
  }

  private static Table build(List<String> names, List<String[]> rows, Path file) throws IOException {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).length != names.size()) {
        throw new IOException(file + " row " + (i + 1) + " has " + rows.get(i).length
            + " fields, expected " + names.size());
      }
    }
    Table.Builder b = Table.builder();
    for (int c = 0; c < names.size(); c++) {
      String name = names.get(c).trim();
      double[] values = new double[rows.size()];
      boolean numeric = true;
      for (int i = 0; i < rows.size() && numeric; i++) {
        String v = rows.get(i)[c].trim();
        try {
          values[i] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
          numeric = false;
        }
      }
      if (numeric) {
        b.numeric(name, values);
      } else {
        String[] text = new String[rows.size()];
        for (int i = 0; i < text.length; i++) {
          text[i] = rows.get(i)[c].trim();
        }
        b.text(name, text);
      }
    }
    return b.build();
  }

  private static BufferedReader reader(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
