package io.edgeloop.training.secret;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values in text by {@code ***}, as GitHub Actions masks secrets in job logs: the whole
 * value, and each line of a multi-line value (a log line never holds more than one line of it).
 * Longest first, so a secret that contains another is masked whole. What a script transforms
 * (base64, reversed, split across lines) is not recognised.
 */
public final class SecretMask {
  public static final String MASK = "***";
  private final List<String> values;

  public SecretMask(Collection<String> secrets) {
    Set<String> parts = new LinkedHashSet<>();
    for (String secret : secrets) {
      parts.add(secret);
      for (String line : secret.split("\\R")) {
        if (!line.isBlank()) {
          parts.add(line);
        }
      }
    }
    parts.removeIf(String::isEmpty);
    this.values = parts.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : values) {
      out = out.replace(value, MASK);
    }
    return out;
  }
}
