package io.edgeloop.launcher.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A readable block of {@code key: value} lines with aligned values; empty values are left out. */
public final class KeyValues {
  private final List<String[]> entries = new ArrayList<>();

  public static KeyValues create() {
    return new KeyValues();
  }

  public KeyValues put(String key, Object value) {
    String text = value == null ? "" : String.valueOf(value);
    if (!text.isBlank()) {
      entries.add(new String[] {key, text});
    }
    return this;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public void print(PrintStream out) {
    int width = entries.stream().mapToInt(e -> e[0].length()).max().orElse(0) + 1;
    for (String[] entry : entries) {
      String[] lines = entry[1].split("\n", -1);
      out.println(String.format("%-" + (width + 1) + "s", entry[0] + ":") + lines[0]);
      for (int i = 1; i < lines.length; i++) {
        out.println(" ".repeat(width + 1) + lines[i]);
      }
    }
  }
}
