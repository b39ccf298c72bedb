package io.edgeloop.modelpackage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.edgeloop.contracts.DatasetRef;
import java.util.List;
import java.util.Map;

/**
 * What a model was made from, recorded automatically at training time.
 *
 * @param datasets the dataset versions read, each with the SHA-256 of its content
 * @param spec the experiment spec as a plain map
 * @param seed the random seed of the search
 * @param libraries library name to version (xgboost4j, onnxruntime, edgeloop...)
 * @param platform os.name, os.arch, java.version, availableProcessors
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(
    List<DatasetHash> datasets,
    Map<String, Object> spec,
    long seed,
    Map<String, String> libraries,
    Map<String, String> platform) {

  public Provenance {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    spec = spec == null ? Map.of() : spec;
    libraries = libraries == null ? Map.of() : Map.copyOf(libraries);
    platform = platform == null ? Map.of() : Map.copyOf(platform);
  }

  /** One dataset version and the SHA-256 of the bytes that were trained on. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DatasetHash(DatasetRef dataset, String sha256) {}
}
