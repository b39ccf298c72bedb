package io.edgeloop.contracts;

import java.util.List;

/** What a model was made from: the exact dataset versions, the run and the code snapshot hash. */
public record Lineage(String runId, List<DatasetRef> datasets, String codeHash) {
  public Lineage {
    datasets = List.copyOf(datasets);
  }
}
