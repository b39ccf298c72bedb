package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How values read for people: ages, durations, sizes, metrics, short digests. */
final class Text {
  /** {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d} since {@code time} (an ISO-8601 instant); empty when absent. */
  static String age(JsonNode time) {
    return instant(time).map(t -> duration(Duration.between(t, Instant.now()))).orElse("");
  }

  static java.util.Optional<Instant> instant(JsonNode time) {
    if (time == null || !time.isTextual()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Instant.parse(time.asText()));
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }

  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    if (s < 172800) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }

  /** The time between two instants, when both are there. */
  static String took(JsonNode from, JsonNode to) {
    var a = instant(from);
    var b = instant(to);
    if (a.isEmpty() || b.isEmpty()) {
      return "";
    }
    double seconds = Duration.between(a.get(), b.get()).toMillis() / 1000.0;
    return seconds < 120 ? String.format(Locale.ROOT, "%.1fs", seconds) : duration(Duration.ofMillis((long) (seconds * 1000)));
  }

  /** An instant as written, with its age: {@code 2026-12-02T06:13:54Z (5m ago)}. */
  static String when(JsonNode time) {
    return instant(time).map(t -> t.toString() + " (" + age(time) + " ago)").orElse("");
  }

  static String bytes(long bytes) {
    if (bytes <= 0) {
      return "";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** A metric value with four significant decimals at most. */
  static String number(JsonNode value) {
    if (value == null || !value.isNumber()) {
      return "";
    }
    double v = value.asDouble();
    return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
  }

  /** {@code sha256:abcdef123456} of a digest. */
  static String digest(String digest) {
    if (digest == null || digest.isBlank()) {
      return "";
    }
    int colon = digest.indexOf(':');
    String hex = colon >= 0 ? digest.substring(colon + 1) : digest;
    return (colon >= 0 ? digest.substring(0, colon + 1) : "") + hex.substring(0, Math.min(12, hex.length()));
  }

  /** The text of a field, empty when absent or null. */
  static String of(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "" : value.asText();
  }

  /** {@code a=1, b=2} of an object; empty when absent. */
  static String pairs(JsonNode object) {
    List<String> pairs = new ArrayList<>();
    if (object != null && object.isObject()) {
      object.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + (e.getValue().isNumber() ? number(e.getValue()) : e.getValue().asText())));
    }
    return String.join(", ", pairs);
  }

  /** {@code a, b} of an array of strings; empty when absent. */
  static String list(JsonNode array) {
    List<String> items = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(item -> items.add(item.asText()));
    }
    return String.join(", ", items);
  }

  private Text() {}
}
