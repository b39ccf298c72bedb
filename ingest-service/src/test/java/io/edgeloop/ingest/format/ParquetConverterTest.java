package io.edgeloop.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.DatasetReader;
import io.edgeloop.storage.dataset.DatasetTable;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetConverterTest {
  @TempDir Path dir;
  final ParquetConverter converter = new ParquetConverter();

  private ParquetConverter.Result convert(String text, String name, TableFormat format, List<Column> known) throws Exception {
    return converter.convert(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name, format, known,
        dir.resolve("out.parquet"), rows -> {});
  }

  @Test
  void shouldReadCmapssLinesWithTrailingBlanks() throws Exception {
    String line = "1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ";
    ParquetConverter.Result result = convert(line + "\n" + line.replaceFirst("1 1", "1 2") + "\n\n", "x.txt", Presets.CMAPSS, null);

    assertThat(result.rows()).isEqualTo(2);
    DatasetTable table = DatasetReader.readParquet(dir.resolve("out.parquet"));
    assertThat(table.row(1)[1]).isEqualTo(2L);
    assertThat(table.row(0)[25]).isEqualTo(23.4190);
    assertThat(result.profile().get("cycle").mean()).isEqualTo(1.5);
  }

  @Test
  void shouldInferJsonLinesSchemaFromKeysInFirstSeenOrder() throws Exception {
    ParquetConverter.Result result = convert("{\"a\":1,\"b\":\"x\"}\n{\"b\":\"y\",\"a\":2,\"c\":true}\n", "r.jsonl", TableFormat.JSON_LINES, null);

    assertThat(result.schema()).containsExactly(new Column("a", "int64"), new Column("b", "string"), new Column("c", "boolean"));
    assertThat(DatasetReader.readParquet(dir.resolve("out.parquet")).row(0)).containsExactly(1L, "x", null);
  }

  @Test
  void shouldRejectAJsonLineThatIsNotAnObject() {
    assertThatThrownBy(() -> convert("{\"a\":1}\n[1,2]\n", "r.jsonl", TableFormat.JSON_LINES, null))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid_json"))
        .hasMessageContaining("line 2");
  }

  @Test
  void shouldUseTheDatasetTypesWhenTheHeaderNamesItsColumns() throws Exception {
    List<Column> known = List.of(new Column("id", "int64"), new Column("v", "float64"));
    ParquetConverter.Result result = convert("id,v\n1,2\n", "a.csv", TableFormat.CSV_WITH_HEADER, known);
    assertThat(result.schema()).isEqualTo(known);
  }

  @Test
  void shouldRefuseJavaOnlyNumberSpellings() {
    assertThatThrownBy(() -> convert("id,v\n1,2.5\n2,3d\n", "a.csv", new TableFormat(TableFormat.Kind.CSV, ',', true,
        List.of(new Column("id", "int64"), new Column("v", "float64"))), null))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("bad_value"));
  }

  @Test
  void shouldUseAsManyThreadsAsTheHeapHolds() {
    int chunk = ParquetConverter.Settings.DEFAULT_CHUNK_BYTES;
    assertThat(ParquetConverter.Settings.threadsFor(2, (256L << 20) / 3, chunk)).as("-Xmx256m, 2 CPUs").isEqualTo(2);
    assertThat(ParquetConverter.Settings.threadsFor(16, (256L << 20) / 3, chunk)).as("-Xmx256m, 16 CPUs").isEqualTo(2);
    assertThat(ParquetConverter.Settings.threadsFor(16, (4L << 30) / 3, chunk)).as("-Xmx4g, 16 CPUs").isEqualTo(16);
    assertThat(ParquetConverter.Settings.threadsFor(4, (96L << 20) / 3, chunk)).as("-Xmx96m").isEqualTo(1);
    assertThat(ParquetConverter.Settings.bytesFor(2, chunk)).isLessThan((256L << 20) / 3);
  }

  @Test
  void shouldNeedDeclaredColumnsForHeaderlessText() {
    assertThatThrownBy(() -> convert("1 2\n", "a.txt", new TableFormat(TableFormat.Kind.TEXT, null, false, null), null))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("unknown_format"));
  }
}
