package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.ingest.format.Presets;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.edgeloop.storage.dataset.DatasetReader;
import io.edgeloop.storage.dataset.DatasetTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** A share end to end: file in, Parquet version stored (read back row by row), DataLanded out, original moved. */
class ShareSourceIT extends IngestITSupport {

  @Test
  void shouldTurnTheCmapssReferenceFileIntoAVerifiedParquetVersion() throws Exception {
    Path reference = Path.of(System.getProperty("edgeloop.shared.dir", "../shared"), "data/cmapss/train_FD001.txt.gz");
    assumeTrue(Files.isRegularFile(reference), "C-MAPSS reference data not found at " + reference + " (set edgeloop.shared.dir)");
    List<Object[]> expected = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(reference)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          expected.add(CmapssMother.expectedRow(line));
        }
      }
    }

    drop(share("turbofan"), "train_FD001.txt.gz", Files.readAllBytes(reference));

    DataLanded landed = awaitLanded("turbofan-e2e", 1);
    assertThat(landed.version()).isEqualTo(1);
    assertThat(landed.format()).isEqualTo("parquet");
    assertThat(landed.rows()).isEqualTo(expected.size());
    assertThat(landed.schema()).extracting(ColumnSpec::name).containsExactlyElementsOf(
        Presets.cmapssColumns().stream().map(c -> c.name()).toList());
    assertThat(landed.source().kind()).isEqualTo("share");
    assertThat(landed.source().item()).isEqualTo("train_FD001.txt.gz");
    assertThat(landed.uris()).singleElement().satisfies(uri -> assertThat(uri).startsWith("file:").endsWith("datasets/turbofan-e2e/v1/data.parquet"));
    assertThat(DatasetReader.sha256(store.open("datasets/turbofan-e2e/v1/data.parquet"))).isEqualTo(landed.sha256());
    assertThat(landed.bytes()).isEqualTo(store.readBytes("datasets/turbofan-e2e/v1/data.parquet").length);

    DatasetTable table = read(landed);
    assertRows(table, expected);

    DatasetManifest manifest = DatasetReader.of(store).manifest("turbofan-e2e", 1);
    assertThat(manifest.profile().get("unit").min()).isEqualTo(1.0);
    assertThat(manifest.profile().get("unit").max()).isEqualTo(100.0);
    assertThat(manifest.profile().get("sensor_2").nulls()).isZero();
    assertThat(manifest.profile().get("cycle").mean()).isEqualTo(
        expected.stream().mapToLong(r -> (Long) r[1]).average().orElseThrow(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(manifest.sourceSha256()).isEqualTo(DatasetReader.sha256(Files.newInputStream(reference)));

    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(share("turbofan").resolve(".processed/train_FD001.txt.gz")));
    assertThat(share("turbofan").resolve("train_FD001.txt.gz")).doesNotExist();
  }

  @Test
  void shouldInferTypesOfACsvWithHeaderAndKeepQuotedFields() throws Exception {
    String csv = "id,name,score,ok\n1,\"Smith, J\",0.5,true\n2,plain,,false\n3,\"say \"\"hi\"\"\",1e3,true\n";

    drop(share("csv").resolve("people"), "p.csv", csv.getBytes(StandardCharsets.UTF_8));

    DataLanded landed = awaitLanded("people", 1);
    assertThat(landed.schema()).containsExactly(
        new ColumnSpec("id", "int64"), new ColumnSpec("name", "string"), new ColumnSpec("score", "float64"), new ColumnSpec("ok", "boolean"));
    assertRows(read(landed), List.of(
        new Object[] {1L, "Smith, J", 0.5, true},
        new Object[] {2L, "plain", null, false},
        new Object[] {3L, "say \"hi\"", 1000.0, true}));
  }

  @Test
  void shouldTakeAFileAtOnceWhenItsMarkerExistsAndIgnoreTemporaryFiles() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(share("csv").resolve("marked"));
    Files.writeString(dir.resolve("upload.csv.part"), "x,y\n1,2\n");
    Files.writeString(dir.resolve("~lock.csv"), "x,y\n1,2\n");
    Files.writeString(dir.resolve("a.csv"), "x,y\n1,2\n");
    Files.writeString(dir.resolve("a.csv.done"), "");

    DataLanded landed = awaitLanded("marked", 1);
    assertThat(landed.source().item()).isEqualTo("marked/a.csv");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(dir.resolve("a.csv.done")));
    Thread.sleep(1500);
    assertThat(IngestEvents.landed("marked")).hasSize(1);
    assertThat(dir.resolve("upload.csv.part")).exists();
    assertThat(dir.resolve("~lock.csv")).exists();
  }
}
