package io.edgeloop.storage.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.storage.LocalArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
  @TempDir Path dir;

  static final List<Column> SCHEMA = List.of(
      new Column("unit", "int64"), new Column("s1", "float64"), new Column("name", "string"),
      new Column("ok", "boolean"), new Column("at", "timestamp"));

  private Path writeSample(int rows) throws IOException {
    Path file = dir.resolve("sample.parquet");
    try (ParquetRowWriter writer = new ParquetRowWriter(file, SCHEMA)) {
      RowValues row = new RowValues(SCHEMA);
      for (int i = 0; i < rows; i++) {
        row.clear();
        row.setLong(0, i);
        if (i % 5 != 0) {
          row.setDouble(1, i * 0.25);
        }
        row.setString(2, i % 3 == 0 ? null : "n" + i);
        row.setBoolean(3, i % 2 == 0);
        row.setLong(4, 1_700_000_000_000_000L + i);
        writer.write(row);
      }
    }
    return file;
  }

  @Test
  void shouldReadBackEveryValueAndNullWrittenByTheRowWriter() throws Exception {
    DatasetTable table = DatasetReader.readParquet(writeSample(1000));

    assertThat(table.rowCount()).isEqualTo(1000);
    assertThat(table.schema()).isEqualTo(SCHEMA);
    for (int i = 0; i < 1000; i++) {
      assertThat(table.row(i)).containsExactly(
          (long) i, i % 5 != 0 ? i * 0.25 : null, i % 3 == 0 ? null : "n" + i, i % 2 == 0, 1_700_000_000_000_000L + i);
    }
    assertThat(table.column("s1").asDoubles()[0]).isNaN();
  }

  @Test
  void shouldReadAStoredVersionThroughItsManifestAndRefuseACorruptOne() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
    Path file = writeSample(10);
    String sha = DatasetReader.sha256(Files.newInputStream(file));
    store.putFile(DatasetLayout.data("t", 1), file);
    DatasetManifest manifest = new DatasetManifest("t", 1, SCHEMA, 10, Files.size(file), sha, DatasetLayout.data("t", 1),
        store.uri(DatasetLayout.data("t", 1)).toString(), Map.of(), new DatasetManifest.Source("share", "/s", "a.csv"),
        sha, 1, "csv", Instant.now());
    store.putBytes(DatasetLayout.manifest("t", 1), DatasetJson.mapper().writeValueAsBytes(manifest));
    store.putBytes(DatasetLayout.index("t"), DatasetJson.mapper().writeValueAsBytes(
        DatasetIndex.empty("t").with(new DatasetIndex.Entry(1, sha, sha, 10, "a.csv", DatasetIndex.ANNOUNCED), SCHEMA)));

    DatasetReader reader = DatasetReader.of(store);
    assertThat(reader.latestVersion("t")).isEqualTo(1);
    assertThat(reader.latestVersion("none")).isZero();
    assertThat(reader.read("t", 1).column("unit").asDoubles()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    store.putBytes(DatasetLayout.data("t", 1), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> reader.read("t", 1)).hasMessageContaining("corrupt");
  }
}
