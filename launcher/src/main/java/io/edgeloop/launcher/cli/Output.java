package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --output table|json}: tables for people, JSON for scripts (exactly what the service returned). */
public final class Output {
  public enum Format { table, json }

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE})")
  public Format format;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Prints {@code node}; arrays (or an object's first array field, e.g. {@code items}) as a table of {@code columns}. */
  public void print(JsonNode node, PrintStream out, String... columns) throws Exception {
    if (format == Format.json) {
      out.println(JSON.writeValueAsString(node));
      return;
    }
    JsonNode rows = node.isArray() ? node : firstArray(node);
    if (rows == null) {
      out.println(JSON.writeValueAsString(node));
      return;
    }
    List<String> names = new ArrayList<>(List.of(columns));
    if (names.isEmpty() && rows.size() > 0) {
      Set<String> keys = new LinkedHashSet<>();
      rows.get(0).fieldNames().forEachRemaining(keys::add);
      keys.stream().filter(k -> rows.get(0).get(k).isValueNode()).forEach(names::add);
    }
    List<String[]> cells = new ArrayList<>();
    cells.add(names.stream().map(String::toUpperCase).toArray(String[]::new));
    for (JsonNode row : rows) {
      cells.add(names.stream().map(n -> text(row.get(n))).toArray(String[]::new));
    }
    int[] widths = new int[names.size()];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.min(60, Math.max(widths[i], row[i].length()));
      }
    }
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i].length() > 60 ? row[i].substring(0, 57) + "..." : row[i];
        line.append(String.format("%-" + (widths[i] + 2) + "s", cell));
      }
      out.println(line.toString().stripTrailing());
    }
    if (rows.isEmpty()) {
      out.println("(none)");
    }
  }

  private static JsonNode firstArray(JsonNode node) {
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      JsonNode child = it.next();
      if (child.isArray()) {
        return child;
      }
    }
    return null;
  }

  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return "";
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
