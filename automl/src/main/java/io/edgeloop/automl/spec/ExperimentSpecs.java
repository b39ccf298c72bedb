package io.edgeloop.automl.spec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/** Parses experiment specs from YAML or from a plain map (the training service's settings). */
public final class ExperimentSpecs {

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ExperimentSpecs() {}

  /** @throws InvalidSpecException naming the field when the YAML does not fit the spec */
  public static ExperimentSpec parseYaml(String yaml) {
    try {
      return YAML.readValue(yaml, ExperimentSpec.class);
    } catch (JsonMappingException e) {
      throw invalid(e);
    } catch (IOException e) {
      throw new InvalidSpecException("spec", "not valid YAML: " + e.getMessage());
    }
  }

  /** The same from a map, e.g. {@code TrainingSpec.settings()}. */
  public static ExperimentSpec fromMap(Map<String, Object> settings) {
    try {
      return YAML.convertValue(settings, ExperimentSpec.class);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonMappingException m) {
        throw invalid(m);
      }
      throw new InvalidSpecException("spec", e.getMessage());
    }
  }

  /** The spec as a plain map, for provenance. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(ExperimentSpec spec) {
    return YAML.convertValue(spec, Map.class);
  }

  private static InvalidSpecException invalid(JsonMappingException e) {
    String field = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    if (e instanceof UnrecognizedPropertyException u) {
      return new InvalidSpecException(field, "unknown field '" + u.getPropertyName() + "'");
    }
    String detail = e instanceof InvalidFormatException f
        ? "invalid value '" + f.getValue() + "'" : e.getOriginalMessage();
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof IllegalArgumentException && root.getMessage() != null) {
      detail = root.getMessage();
    }
    return new InvalidSpecException(field.isEmpty() ? "spec" : field, detail);
  }
}
