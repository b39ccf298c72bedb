package io.edgeloop.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics file a script writes: {@code outputs/metrics.jsonl}, one JSON object per line,
 * {@code {"key": "rmse", "value": 12.3, "step": 4}} ({@code step} optional, default 0). Lines that
 * are not such objects are reported, not fatal.
 */
public final class MetricsFile {
  public static final String NAME = "metrics.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Entry(String key, double value, long step) {}

  /** Parses the file; unreadable lines are returned as {@code problems}. */
  public static List<Entry> read(Path file, List<String> problems) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return entries;
    }
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (!node.path("key").isTextual() || !node.path("value").isNumber()) {
          problems.add(NAME + " line " + n + ": needs a string 'key' and a number 'value'");
          continue;
        }
        entries.add(new Entry(node.get("key").asText(), node.get("value").asDouble(), node.path("step").asLong(0)));
      } catch (IOException e) {
        problems.add(NAME + " line " + n + ": not JSON");
      }
    }
    return entries;
  }

  private MetricsFile() {}
}
