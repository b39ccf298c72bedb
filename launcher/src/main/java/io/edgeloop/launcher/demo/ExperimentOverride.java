package io.edgeloop.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Turns an experiment document into the training service's own configuration keys for its
 * first experiment ({@code edgeloop.training.experiments[0]...}), so the demo changes
 * the spec the same way an operator would, through configuration.
 */
final class ExperimentOverride {
  private static final String PREFIX = "edgeloop.training.experiments[0]";

  static Map<String, String> fromResource(String resource) throws IOException {
    try (InputStream in = ExperimentOverride.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing resource " + resource);
      }
      Map<String, String> properties = new LinkedHashMap<>();
      flatten(PREFIX, new Yaml().load(in), properties);
      return properties;
    }
  }

  static void flatten(String key, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(key + "." + k, v, out));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(key + "[" + i + "]", list.get(i), out);
      }
    } else {
      out.put(key, String.valueOf(value));
    }
  }

  private ExperimentOverride() {}
}
