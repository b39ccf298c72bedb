package io.edgeloop.automl.search;

import java.util.List;

/** The families a spec may name. */
public final class ModelFamilies {

  public static final List<String> NAMES = List.of("xgboost", "random_forest", "linear");

  private ModelFamilies() {}

  public static ModelFamily named(String name) {
    return switch (name) {
      case "xgboost" -> new XgboostFamily(false);
      case "random_forest" -> new XgboostFamily(true);
      case "linear" -> new LinearFamily();
      default -> throw new IllegalArgumentException("unknown family '" + name + "', expected one of " + NAMES);
    };
  }
}
