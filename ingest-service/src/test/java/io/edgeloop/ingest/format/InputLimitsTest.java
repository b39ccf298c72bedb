package io.edgeloop.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.ingest.CmapssMother;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounds on what one input may cost, and exact line numbers deep inside inputs of many chunks.
 * The bombs here inflate to gigabytes; the converter must stop after reading a little of them.
 */
class InputLimitsTest {
  private static final int MB = 1 << 20;

  @TempDir Path dir;

  private ParquetConverter.Result convert(InputStream in, String name, TableFormat format, ParquetConverter.Settings settings)
      throws Exception {
    return new ParquetConverter(settings).convert(in, name, format, null, dir.resolve("out.parquet"), rows -> {});
  }

  private static ParquetConverter.Settings settings(int chunkBytes, int maxLineBytes, long maxBytes) {
    return new ParquetConverter.Settings(2, chunkBytes, maxLineBytes, maxBytes);
  }

  @Test
  void shouldStopAGzipBombWithoutLineEndsAtTheLineLimitHavingReadLittle() throws Exception {
    Counting raw = new Counting(bomb(64 * MB, 32, false)); // 2 GiB of '1', no line end

    assertThatThrownBy(() -> convert(raw, "bomb.txt.gz", Presets.CMAPSS, settings(8 * MB, MB, 0)))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("line_too_long"))
        .hasMessageContaining("line 1 ").hasMessageContaining("1048576 bytes");
    assertThat(raw.count).as("compressed bytes read before stopping").isLessThan(200_000);
    assertThat(dir.resolve("out.parquet")).doesNotExist();
  }

  @Test
  void shouldStopAGzipBombWithLineEndsAtTheDecompressedLimit() throws Exception {
    Counting raw = new Counting(bomb(64 * MB, 32, true)); // 2 GiB of blank lines

    assertThatThrownBy(() -> convert(raw, "bomb.txt.gz", Presets.CMAPSS, settings(8 * MB, MB, 100L * MB)))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("too_large"))
        .hasMessageContaining("decompresses to more than the limit of 104857600 bytes");
    assertThat(raw.count).as("compressed bytes read before stopping").isLessThan(1_000_000);
  }

  @Test
  void shouldNameTheLongLineWhereverItIs() throws Exception {
    String good = CmapssMother.text(1, 3000, 1); // ~500 KB
    String longLine = "1 2 " + "3".repeat(5000) + "\n";
    for (int cut : new int[] {0, 1000, 2999}) {
      int at = nthLine(good, cut);
      String text = good.substring(0, at) + longLine + good.substring(at);
      for (int chunk : new int[] {4096, 64 * 1024, 8 * MB}) {
        assertThatThrownBy(() -> convert(stream(text), "l.txt", Presets.CMAPSS, settings(chunk, 4096, 0)))
            .as("long line after %d lines, chunks of %d", cut, chunk)
            .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("line_too_long"))
            .hasMessageStartingWith("line " + (cut + 1) + " ");
      }
    }
  }

  @Test
  void shouldReportABadValueDeepInsideALargeInputWithItsExactLine() throws Exception {
    StringBuilder text = new StringBuilder(CmapssMother.repeated(150, 1000, 3)); // ~26 MB: the first chunk, then 3+ more
    int line = 123_457;
    int start = nthLine(text, line - 1);
    int end = text.indexOf("\n", start);
    String[] fields = text.substring(start, end).trim().split(" ");
    fields[17] = "12.3.4";
    text.replace(start, end, String.join(" ", fields));

    assertThatThrownBy(() -> convert(stream(text.toString()), "deep.txt", Presets.CMAPSS, ParquetConverter.Settings.defaults()))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("bad_value"))
        .hasMessage("line 123457, column 'sensor_13' (float64): cannot read '12.3.4'");
  }

  @Test
  void shouldNameTheExactLineOfInvalidUtf8FarIntoTheInput() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("id,label\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i <= 20_000; i++) {
      out.write((i + ",ok\n").getBytes(StandardCharsets.UTF_8));
      if (i == 12_345) {
        out.write(new byte[] {'9', ',', (byte) 0xC3, (byte) 0x28, '\n'});
      }
    }
    for (int chunk : new int[] {1000, 8 * MB}) {
      assertThatThrownBy(() -> convert(new ByteArrayInputStream(out.toByteArray()), "u.csv", TableFormat.CSV_WITH_HEADER, settings(chunk, MB, 0)))
          .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid_encoding"))
          .hasMessageStartingWith("line 12347 is not valid UTF-8");
    }
  }

  @Test
  void shouldReportATruncatedGzipAfterTheLinesBeforeTheDamage() throws Exception {
    byte[] gz = gzip(CmapssMother.text(1, 20_000, 5).getBytes(StandardCharsets.UTF_8));
    byte[] truncated = Arrays.copyOf(gz, gz.length / 2);

    assertThatThrownBy(() -> convert(new ByteArrayInputStream(truncated), "t.txt.gz", Presets.CMAPSS, settings(64 * 1024, MB, 0)))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("corrupt_gzip"))
        .hasMessageStartingWith("gzip data ends early or is corrupt after line ");
  }

  @Test
  void shouldReportABadJsonLineInALaterChunkWithItsLine() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      text.append(i == 4321 ? "{\"a\": 1, \"b\": oops}" : "{\"a\": " + i + ", \"b\": \"x" + i + "\"}").append('\n');
    }
    assertThatThrownBy(() -> convert(stream(text.toString()), "j.jsonl", TableFormat.JSON_LINES, settings(4096, MB, 0)))
        .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid_json"))
        .hasMessageStartingWith("line 4321 is not valid JSON");
  }

  @Test
  void shouldConvertRowsWiderThanTheFirstChunk() throws Exception {
    StringBuilder text = new StringBuilder("id,blob\n");
    for (int i = 0; i < 40; i++) {
      text.append(i).append(',').append("x".repeat(100_000 + i)).append('\n');
    }
    ParquetConverter.Result result = convert(stream(text.toString()), "w.csv", TableFormat.CSV_WITH_HEADER, settings(16 * 1024, 200_000, 0));
    assertThat(result.rows()).isEqualTo(40);
    assertThat(result.schema().get(1).type()).isEqualTo("string");
  }

  /** Gzip of {@code copies} concatenated members, each {@code memberBytes} of '1' (or of empty lines): tiny, inflating to GBs. */
  private static InputStream bomb(int memberBytes, int copies, boolean lineEnds) throws IOException {
    byte[] plain = new byte[memberBytes];
    Arrays.fill(plain, lineEnds ? (byte) '\n' : (byte) '1');
    byte[] member = gzip(plain);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < copies; i++) {
      all.write(member);
    }
    return new ByteArrayInputStream(all.toByteArray());
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Where line {@code n + 1} starts (after {@code n} line ends). */
  private static int nthLine(CharSequence text, int n) {
    int seen = 0;
    for (int i = 0; i < text.length() && seen < n; i++) {
      if (text.charAt(i) == '\n' && ++seen == n) {
        return i + 1;
      }
    }
    return 0;
  }

  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(0, n);
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b >= 0 ? 1 : 0;
      return b;
    }
  }
}
