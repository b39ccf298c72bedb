package io.edgeloop.contracts;

import java.util.Map;
import java.util.Objects;

/**
 * What a run trains: {@code kind} is {@code automl} (the built-in sweep; {@code settings} hold the
 * experiment spec) or {@code script} (the user's code; {@code settings} hold project, command and
 * environment).
 */
public record TrainingSpec(String kind, Map<String, Object> settings) {
  public TrainingSpec {
    Objects.requireNonNull(kind, "kind");
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }
}
