package io.edgeloop.ingest.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.ColumnProfile;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetJson;
import io.edgeloop.storage.dataset.DatasetLayout;
import io.edgeloop.storage.dataset.DatasetManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** {@code /api/datasets} reads what the store holds: index and manifests as the ingestor writes them. */
class DatasetsControllerTest {

  @TempDir Path root;
  MockMvc mvc;

  static final List<Column> SCHEMA = List.of(new Column("unit", "int64"), new Column("s1", "float64"));

  @BeforeEach
  void setUp() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(root);
    DatasetIndex engines = new DatasetIndex("engines", SCHEMA, List.of(
        new DatasetIndex.Entry(1, "aa", "s1", 100, "a.txt", DatasetIndex.ANNOUNCED),
        new DatasetIndex.Entry(2, "bb", "s2", 250, "b.txt", DatasetIndex.STORED)));
    store.putBytes(DatasetLayout.index("engines"), DatasetJson.mapper().writeValueAsBytes(engines));
    DatasetManifest v2 = new DatasetManifest("engines", 2, SCHEMA, 250, 4096, "bb", DatasetLayout.data("engines", 2),
        "file:/x/datasets/engines/v2/data.parquet", Map.of("unit", new ColumnProfile(250, 0, 1.0, 9.0, 5.0)),
        new DatasetManifest.Source("share", "/shares/turbofan", "b.txt"), "s2", 2000, "text", Instant.parse("2026-11-22T10:00:00Z"));
    store.putBytes(DatasetLayout.manifest("engines", 2), DatasetJson.mapper().writeValueAsBytes(v2));
    DatasetIndex alarms = new DatasetIndex("alarms", List.of(new Column("code", "string")),
        List.of(new DatasetIndex.Entry(1, "cc", "s3", 7, "batch-0", DatasetIndex.ANNOUNCED)));
    store.putBytes(DatasetLayout.index("alarms"), DatasetJson.mapper().writeValueAsBytes(alarms));
    mvc = MockMvcBuilders.standaloneSetup(new DatasetsController(new DatasetCatalog(store, false))).build();
  }

  @Test
  void shouldListEveryDatasetWithItsNewestVersion() throws Exception {
    mvc.perform(get("/api/datasets"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(2))
        .andExpect(jsonPath("$[0].name").value("alarms"))
        .andExpect(jsonPath("$[1].name").value("engines"))
        .andExpect(jsonPath("$[1].latestVersion").value(2))
        .andExpect(jsonPath("$[1].versions").value(2))
        .andExpect(jsonPath("$[1].latestRows").value(250))
        .andExpect(jsonPath("$[1].schema[1].name").value("s1"));
  }

  @Test
  void shouldShowVersionsAndOneManifest() throws Exception {
    mvc.perform(get("/api/datasets/engines"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.versions.length()").value(2))
        .andExpect(jsonPath("$.versions[0].state").value("announced"))
        .andExpect(jsonPath("$.versions[1].sourceItem").value("b.txt"));
    mvc.perform(get("/api/datasets/engines/versions/2"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.rows").value(250))
        .andExpect(jsonPath("$.source.kind").value("share"))
        .andExpect(jsonPath("$.profile.unit.max").value(9.0));
  }

  @Test
  void shouldAnswer404ForWhatIsNotStoredAnd400ForABadName() throws Exception {
    mvc.perform(get("/api/datasets/nothing")).andExpect(status().isNotFound());
    mvc.perform(get("/api/datasets/engines/versions/1")).andExpect(status().isNotFound());
    mvc.perform(get("/api/datasets/alarms/versions/3")).andExpect(status().isNotFound());
    mvc.perform(get("/api/datasets/..%2Fetc")).andExpect(status().isBadRequest());
  }
}
