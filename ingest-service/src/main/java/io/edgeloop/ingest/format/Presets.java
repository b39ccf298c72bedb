package io.edgeloop.ingest.format;

import io.edgeloop.storage.dataset.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Named formats, so a share can say {@code preset: cmapss} instead of listing 26 columns. */
public final class Presets {

  /**
   * NASA C-MAPSS turbofan files ({@code train_FD001.txt}): no header, space-separated with trailing
   * spaces, 26 columns: unit, cycle, three operational settings, 21 sensors.
   */
  public static final TableFormat CMAPSS = new TableFormat(TableFormat.Kind.TEXT, null, false, cmapssColumns());

  public static TableFormat named(String preset) {
    return switch (preset.toLowerCase(Locale.ROOT)) {
      case "cmapss" -> CMAPSS;
      case "csv" -> TableFormat.CSV_WITH_HEADER;
      case "jsonl" -> TableFormat.JSON_LINES;
      default -> throw new IllegalArgumentException("unknown format preset '" + preset + "'; known: cmapss, csv, jsonl");
    };
  }

  public static List<Column> cmapssColumns() {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("unit", "int64"));
    columns.add(new Column("cycle", "int64"));
    for (int i = 1; i <= 3; i++) {
      columns.add(new Column("op_setting_" + i, "float64"));
    }
    for (int i = 1; i <= 21; i++) {
      columns.add(new Column("sensor_" + i, "float64"));
    }
    return List.copyOf(columns);
  }

  private Presets() {}
}
