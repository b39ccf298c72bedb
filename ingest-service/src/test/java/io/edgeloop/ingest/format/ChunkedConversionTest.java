package io.edgeloop.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.ColumnProfile;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunked, parallel converter against a line-by-line reference: the rules as they were written
 * before chunks (BufferedReader lines, {@link Tokenizer}, {@link ValueParser}), on random inputs
 * full of what makes parsing hard (blank and CR-only lines, quotes, tabs, null words, exponents,
 * huge and signed numbers, non-ASCII and control characters), cut into chunks of random small sizes
 * and parsed by one to three threads. Every input must give the same rows, or the same first
 * problem with the same line number and message.
 */
class ChunkedConversionTest {
  private static final List<Column> COLUMNS = List.of(
      new Column("id", "int64"), new Column("v", "float64"), new Column("name", "string"), new Column("ok", "boolean"));
  private static final String[] FIELDS = {
    "1", "-2", "+3", "007", "12345678901234567", "123456789012345678901", "1.0", "1e3", "2.5", "-0.0", ".5", "1.", "NaN",
    "NA", "N/A", "null", "NULL", "", " ", "x", "abc", "é", "naïve", "\u000b", "true", "false", "t", "yes", "0", "3d", "0x10",
    "-", ".", "Infinity", "1234567.891234567", "\"q\"", "\"a,b\"", "\"say \"\"hi\"\"\"", "\t7\t", " 8 "
  };

  @TempDir Path dir;

  @Test
  void shouldMatchTheLineByLineRulesWhateverTheChunksAndThreads() throws Exception {
    Random random = new Random(42);
    int rejected = 0;
    for (int round = 0; round < 300; round++) {
      Character delimiter = random.nextBoolean() ? null : ',';
      TableFormat format = new TableFormat(delimiter == null ? TableFormat.Kind.TEXT : TableFormat.Kind.CSV, delimiter, false, COLUMNS);
      String text = randomText(random, delimiter, 1 + random.nextInt(60));
      Expected expected = reference(text, delimiter);
      Path out = dir.resolve("r" + round + ".parquet");
      ParquetConverter converter = new ParquetConverter(new ParquetConverter.Settings(1 + random.nextInt(3), 16 + random.nextInt(200), 1 << 20, 0));
      try {
        ParquetConverter.Result result = converter.convert(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "r.txt",
            format, null, out, rows -> {});
        assertThat(expected.problem).as("input:\n%s", text).isNull();
        List<Object[]> rows = new ArrayList<>();
        DatasetReader.forEachRow(out, rows::add);
        assertThat(rows).as("input:\n%s", text).hasSameSizeAs(expected.rows);
        for (int i = 0; i < rows.size(); i++) {
          assertThat(Arrays.equals(rows.get(i), expected.rows.get(i))).as("row %d: %s vs %s of\n%s", i,
              Arrays.toString(rows.get(i)), Arrays.toString(expected.rows.get(i)), text).isTrue();
        }
        assertThat(result.rows()).isEqualTo(expected.rows.size());
        assertThat(result.sha256()).isEqualTo(DatasetReader.sha256(Files.newInputStream(out)));
        assertThat(result.bytes()).isEqualTo(Files.size(out));
      } catch (RejectedInputException e) {
        rejected++;
        assertThat(expected.problem).as("input:\n%s\nconverter said %s", text, e.getMessage()).isNotNull();
        assertThat(e.reasonCode() + ": " + e.getMessage()).as("input:\n%s", text).isEqualTo(expected.problem);
        assertThat(out).doesNotExist();
      }
    }
    assertThat(rejected).as("some inputs are bad, some good").isBetween(30, 270);
  }

  @Test
  void shouldProfileTheSameWhateverTheChunks() throws Exception {
    StringBuilder text = new StringBuilder();
    Random random = new Random(7);
    for (int i = 0; i < 5000; i++) {
      text.append(i).append(',').append(i % 7 == 0 ? "" : String.format(java.util.Locale.ROOT, "%.3f", random.nextGaussian()))
          .append(",n").append(i % 13).append(',').append(i % 3 == 0).append('\n');
    }
    Map<String, ColumnProfile> whole = convert(text.toString(), 1 << 20, 1).profile();
    Map<String, ColumnProfile> chunked = convert(text.toString(), 97, 3).profile();
    assertThat(chunked.keySet()).containsExactlyElementsOf(whole.keySet());
    for (String column : whole.keySet()) {
      ColumnProfile a = whole.get(column);
      ColumnProfile b = chunked.get(column);
      assertThat(b.count()).isEqualTo(a.count());
      assertThat(b.nulls()).isEqualTo(a.nulls());
      assertThat(b.min()).isEqualTo(a.min());
      assertThat(b.max()).isEqualTo(a.max());
      if (a.mean() != null) {
        assertThat(b.mean()).isCloseTo(a.mean(), org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    assertThat(whole.get("v").nulls()).isEqualTo(715);
    assertThat(whole.get("id").max()).isEqualTo(4999.0);
  }

  private ParquetConverter.Result convert(String text, int chunkBytes, int threads) throws Exception {
    return new ParquetConverter(new ParquetConverter.Settings(threads, chunkBytes, 1 << 20, 0))
        .convert(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "p.csv",
            new TableFormat(TableFormat.Kind.CSV, ',', false, COLUMNS), null, dir.resolve("p" + chunkBytes + ".parquet"), rows -> {});
  }

  private static String randomText(Random random, Character delimiter, int lines) {
    int tricky = 3 + random.nextInt(60); // how rare the hard fields are in this input
    StringBuilder text = new StringBuilder();
    String[] ends = {"\n", "\n", "\n", "\r\n", "\r"};
    for (int l = 0; l < lines; l++) {
      int kind = random.nextInt(20);
      if (kind == 0) {
        text.append(random.nextBoolean() ? "" : "  \t ");
      } else {
        int fields = kind == 1 ? 3 + 2 * random.nextInt(2) : 4;
        for (int f = 0; f < fields; f++) {
          if (f > 0) {
            text.append(delimiter == null ? (random.nextInt(4) == 0 ? " \t " : " ") : String.valueOf(delimiter));
          }
          String field = random.nextInt(tricky) == 0 ? FIELDS[random.nextInt(FIELDS.length)] : typical(random, f);
          if (delimiter == null) {
            field = field.isBlank() ? "x" : field.replace(" ", "").replace("\t", "");
          }
          text.append(field);
        }
      }
      text.append(ends[random.nextInt(ends.length)]);
    }
    return text.toString();
  }

  private static String typical(Random random, int column) {
    return switch (column) {
      case 0 -> Integer.toString(random.nextInt(1000));
      case 1 -> String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian() * 100);
      case 2 -> "name" + random.nextInt(5);
      default -> random.nextBoolean() ? "true" : "false";
    };
  }

  /** The expected outcome: rows, or "reason: message" of the first problem. */
  private record Expected(List<Object[]> rows, String problem) {}

  /** The line-by-line rules, as the converter had them before it read chunks. */
  private static Expected reference(String text, Character delimiter) throws IOException {
    BufferedReader lines = new BufferedReader(new StringReader(text));
    Tokenizer tokenizer = new Tokenizer(delimiter);
    List<Object[]> rows = new ArrayList<>();
    long lineNumber = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = tokenizer.split(line);
      if (fields.size() != COLUMNS.size()) {
        if (rows.isEmpty()) {
          for (Character other : new Character[] {',', ';', '\t', '|', null}) {
            if (!Objects.equals(other, delimiter) && new Tokenizer(other).split(line).size() == COLUMNS.size()) {
              return new Expected(null, "wrong_delimiter: line " + lineNumber + " splits into " + fields.size() + " fields on "
                  + Tokenizer.describe(delimiter) + " but into the expected " + COLUMNS.size() + " on " + Tokenizer.describe(other)
                  + ": wrong delimiter");
            }
          }
        }
        return new Expected(null, "ragged_rows: line " + lineNumber + " has " + fields.size() + " fields, expected " + COLUMNS.size());
      }
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < row.length; i++) {
        String f = fields.get(i);
        String type = COLUMNS.get(i).type();
        if (f.isEmpty() || (!type.equals("string") && ValueParser.NULLS.contains(f))) {
          continue;
        }
        try {
          row[i] = switch (type) {
            case "int64" -> ValueParser.parseLong(f);
            case "float64" -> ValueParser.parseDouble(f);
            case "boolean" -> ValueParser.parseBoolean(f);
            default -> f;
          };
        } catch (IllegalArgumentException e) {
          String shown = f.length() > 40 ? f.substring(0, 40) + "..." : f;
          return new Expected(null, "bad_value: line " + lineNumber + ", column '" + COLUMNS.get(i).name() + "' (" + type
              + "): cannot read '" + shown + "'");
        }
      }
      rows.add(row);
    }
    return rows.isEmpty() ? new Expected(null, "empty: the input has no data rows") : new Expected(rows, null);
  }
}
