package io.edgeloop.ingest.web;

import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetLayout;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Datasets as the store holds them (what {@code edgeloop datasets list|show} prints): read from
 * each dataset's {@code index.json} and version manifests, so the answer is the store's, whichever
 * instance wrote it.
 */
@RestController
@RequestMapping("/api/datasets")
@Tag(name = "datasets", description = "Versioned datasets as the store holds them")
@RequiresRole(Role.VIEWER)
public class DatasetsController {

  /**
   * One dataset: its newest version and schema.
   *
   * @param versions how many versions are stored
   */
  public record DatasetSummary(String name, long latestVersion, int versions, long latestRows, List<Column> schema) {}

  private final DatasetCatalog catalog;

  public DatasetsController(DatasetCatalog catalog) {
    this.catalog = catalog;
  }

  /** Every dataset with an index, by name. */
  @Operation(summary = "List datasets with their newest version and schema")
  @GetMapping
  public List<DatasetSummary> list() throws IOException {
    List<DatasetSummary> out = new ArrayList<>();
    for (String name : catalog.datasets().stream().sorted().toList()) {
      DatasetIndex index = catalog.refresh(name);
      long latestRows = index.versions().stream().filter(v -> v.version() == index.latestVersion())
          .mapToLong(DatasetIndex.Entry::rows).findFirst().orElse(0);
      out.add(new DatasetSummary(name, index.latestVersion(), index.versions().size(), latestRows, index.schema()));
    }
    return out;
  }

  /** A dataset's versions: version, rows, sha256 of the Parquet data and of the source, source item, state. */
  @Operation(summary = "Show a dataset's versions")
  @GetMapping("/{name}")
  public DatasetIndex show(@PathVariable String name) throws IOException {
    return catalog.refresh(known(name));
  }

  /** One version's manifest: schema, column profile, bytes, URI, source, time. */
  @Operation(summary = "Show one version's manifest: schema, profile, source")
  @GetMapping("/{name}/versions/{version}")
  public DatasetManifest version(@PathVariable String name, @PathVariable long version) throws IOException {
    try {
      return catalog.manifest(known(name), version);
    } catch (NoSuchFileException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "dataset " + name + " has no version " + version);
    }
  }

  /** {@code name} when the dataset has an index; one key checked, not the whole store listed. */
  private String known(String name) throws IOException {
    String index;
    try {
      index = DatasetLayout.index(name);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (!catalog.store().exists(index)) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no dataset " + name);
    }
    return name;
  }
}
