package io.edgeloop.storage.dataset;

/**
 * Where datasets live in the store. Everything about a dataset is under {@code datasets/<name>/}:
 * {@code index.json} (all versions, the ingest service's only state) and per version {@code
 * v<N>/data.parquet} plus {@code v<N>/manifest.json}.
 */
public final class DatasetLayout {
  public static final String ROOT = "datasets/";

  public static String index(String dataset) {
    return ROOT + requireName(dataset) + "/index.json";
  }

  public static String data(String dataset, long version) {
    return ROOT + requireName(dataset) + "/v" + version + "/data.parquet";
  }

  public static String manifest(String dataset, long version) {
    return ROOT + requireName(dataset) + "/v" + version + "/manifest.json";
  }

  /** Dataset names are one key segment: letters, digits, {@code . _ -}, starting with a letter or digit. */
  public static String requireName(String dataset) {
    if (dataset == null || !dataset.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException("invalid dataset name '" + dataset + "': use letters, digits, '.', '_' or '-'");
    }
    return dataset;
  }

  private DatasetLayout() {}
}
