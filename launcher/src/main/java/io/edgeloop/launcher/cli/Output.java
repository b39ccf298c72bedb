package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Prints results: for people (tables, key-value blocks) by default; exactly what the service
 * returned, as JSON or YAML, with {@code -o json|yaml}.
 */
public final class Output {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static ObjectMapper yaml;
  private final GlobalOptions.Format format;
  private final PrintStream out;

  public Output(GlobalOptions.Format format, PrintStream out) {
    this.format = format;
    this.out = out;
  }

  public PrintStream out() {
    return out;
  }

  /** True when the output is for people. */
  public boolean human() {
    return format == GlobalOptions.Format.table;
  }

  public boolean yaml() {
    return format == GlobalOptions.Format.yaml;
  }

  /** With {@code -o json|yaml}, prints {@code node} as such and returns true; otherwise prints nothing and returns false. */
  public boolean raw(JsonNode node) {
    if (human()) {
      return false;
    }
    out.print(serialize(node));
    return true;
  }

  String serialize(JsonNode node) {
    try {
      if (format == GlobalOptions.Format.yaml) {
        if (yaml == null) {
          yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        }
        return yaml.writeValueAsString(node);
      }
      return JSON.writeValueAsString(node) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints one line for people. */
  public void line(String text) {
    out.println(text);
  }
}
