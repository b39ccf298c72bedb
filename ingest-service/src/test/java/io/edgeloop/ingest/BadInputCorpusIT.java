package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus: every case ends in a dataset version or in quarantine with a clear reason,
 * and no input is lost (the original is in the processed area or in quarantine beside its reason).
 * Each test uses its own dataset (a subfolder of a per-subfolder share). Links among the processed
 * and quarantine folders are refused: nothing is ever written outside the share.
 */
class BadInputCorpusIT extends IngestITSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path corpus(String dataset) {
    return share("corpus").resolve(dataset);
  }

  private static Path csv(String dataset) {
    return share("csv").resolve(dataset);
  }

  /** The rejection event, the quarantined original (byte for byte) and its reason file. */
  private DataRejected assertQuarantined(String dataset, Path shareRoot, String file, byte[] original, String reason) throws IOException {
    DataRejected rejected = awaitRejected(dataset);
    assertThat(rejected.reasonCode().wire()).isEqualTo(reason);
    assertThat(rejected.message()).isNotBlank();
    assertThat(rejected.source().item()).isEqualTo(dataset + "/" + file);
    Path quarantined = Path.of(URI.create(rejected.quarantineUri()));
    assertThat(quarantined).isEqualTo(shareRoot.resolve(".quarantine").resolve(dataset).resolve(file));
    if (original != null) {
      assertThat(Files.readAllBytes(quarantined)).isEqualTo(original);
    }
    JsonNode reasonFile = JSON.readTree(quarantined.resolveSibling(file + ".reason.json").toFile());
    assertThat(reasonFile.get("reasonCode").asText()).isEqualTo(reason);
    assertThat(reasonFile.get("message").asText()).isEqualTo(rejected.message());
    assertThat(shareRoot.resolve(dataset).resolve(file)).doesNotExist();
    assertThat(IngestEvents.landed(dataset)).isEmpty();
    return rejected;
  }

  private static void assertProcessed(Path shareRoot, String dataset, String file, byte[] original) {
    Path processed = shareRoot.resolve(".processed").resolve(dataset).resolve(file);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(processed));
    assertThat(processed).hasBinaryContent(original);
  }

  @Test
  void shouldQuarantineAnEmptyFile() throws Exception {
    drop(corpus("c-empty"), "empty.txt", new byte[0]);
    assertQuarantined("c-empty", share("corpus"), "empty.txt", new byte[0], "empty");
  }

  @Test
  void shouldQuarantineACsvWithOnlyAHeader() throws Exception {
    byte[] content = "a,b,c\n".getBytes(StandardCharsets.UTF_8);
    drop(csv("c-header-only"), "h.csv", content);
    DataRejected rejected = assertQuarantined("c-header-only", share("csv"), "h.csv", content, "no_rows");
    assertThat(rejected.message()).contains("header");
  }

  @Test
  void shouldQuarantineATruncatedGzip() throws Exception {
    byte[] gz = gzip(CmapssMother.text(1, 200, 1).getBytes(StandardCharsets.UTF_8));
    byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
    drop(corpus("c-truncated-gz"), "t.txt.gz", truncated);
    assertQuarantined("c-truncated-gz", share("corpus"), "t.txt.gz", truncated, "corrupt_gzip");
  }

  @Test
  void shouldQuarantineRaggedRowsNamingTheLine() throws Exception {
    List<String> lines = new java.util.ArrayList<>(CmapssMother.lines(1, 5, 2));
    lines.set(3, lines.get(3).trim().replaceAll("\\s+\\S+$", ""));
    byte[] content = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-ragged"), "r.txt", content);
    DataRejected rejected = assertQuarantined("c-ragged", share("corpus"), "r.txt", content, "ragged_rows");
    assertThat(rejected.message()).contains("line 4").contains("25 fields").contains("expected 26");
  }

  @Test
  void shouldQuarantineTextInANumericColumnNamingLineAndColumn() throws Exception {
    List<String> lines = new java.util.ArrayList<>(CmapssMother.lines(1, 5, 3));
    String[] fields = lines.get(2).trim().split(" ");
    fields[6] = "n/a-broken";
    lines.set(2, String.join(" ", fields));
    byte[] content = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-text-in-number"), "x.txt", content);
    DataRejected rejected = assertQuarantined("c-text-in-number", share("corpus"), "x.txt", content, "bad_value");
    assertThat(rejected.message()).contains("line 3").contains("sensor_2").contains("n/a-broken");
  }

  @Test
  void shouldQuarantineAFileWithTheWrongDelimiter() throws Exception {
    byte[] content = CmapssMother.text(1, 5, 4).trim().replaceAll(" +", ",").replace(",\n", "\n").getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-wrong-delimiter"), "w.txt", content);
    DataRejected rejected = assertQuarantined("c-wrong-delimiter", share("corpus"), "w.txt", content, "wrong_delimiter");
    assertThat(rejected.message()).contains("','");
  }

  @Test
  void shouldAcceptAUtf8BomAndKeepItOutOfTheFirstColumnName() throws Exception {
    byte[] content = ("\uFEFFid,label\n1,é\n2,ü\n").getBytes(StandardCharsets.UTF_8);
    drop(csv("c-bom"), "bom.csv", content);
    DataLanded landed = awaitLanded("c-bom", 1);
    assertThat(landed.schema().get(0).name()).isEqualTo("id");
    assertRows(read(landed), List.of(new Object[] {1L, "é"}, new Object[] {2L, "ü"}));
    assertProcessed(share("csv"), "c-bom", "bom.csv", content);
  }

  @Test
  void shouldAcceptCrlfLineEnds() throws Exception {
    List<String> lines = CmapssMother.lines(7, 20, 5);
    byte[] content = (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-crlf"), "crlf.txt", content);
    DataLanded landed = awaitLanded("c-crlf", 1);
    assertRows(read(landed), lines.stream().map(CmapssMother::expectedRow).toList());
    assertProcessed(share("corpus"), "c-crlf", "crlf.txt", content);
  }

  @Test
  void shouldQuarantineInvalidUtf8() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("id,label\n1,ok\n2,".getBytes(StandardCharsets.UTF_8));
    out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    out.write("\n".getBytes(StandardCharsets.UTF_8));
    byte[] content = out.toByteArray();
    drop(csv("c-invalid-utf8"), "bad.csv", content);
    DataRejected rejected = assertQuarantined("c-invalid-utf8", share("csv"), "bad.csv", content, "invalid_encoding");
    assertThat(rejected.message()).contains("UTF-8");
  }

  @Test
  void shouldWaitForAFileStillBeingWrittenAndStoreItWhole() throws Exception {
    List<String> lines = CmapssMother.lines(3, 400, 6);
    byte[] all = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    int half = all.length / 2;
    Path dir = Files.createDirectories(corpus("c-two-writes"));
    try (OutputStream out = Files.newOutputStream(dir.resolve("growing.txt"))) {
      out.write(all, 0, half);
      out.flush();
      Thread.sleep(300); // shorter than the settle time (600 ms): the watcher sees a partial file
      out.write(all, half, all.length - half);
    }
    DataLanded landed = awaitLanded("c-two-writes", 1);
    assertThat(landed.rows()).isEqualTo(400);
    assertRows(read(landed), lines.stream().map(CmapssMother::expectedRow).toList());
    Thread.sleep(1000);
    assertThat(IngestEvents.landed("c-two-writes")).hasSize(1);
    assertThat(IngestEvents.rejected("c-two-writes")).isEmpty();
  }

  @Test
  void shouldMakeANewVersionWhenANameIsReusedWithNewContent() throws Exception {
    byte[] first = CmapssMother.text(1, 10, 7).getBytes(StandardCharsets.UTF_8);
    byte[] second = CmapssMother.text(2, 12, 8).getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-same-name"), "data.txt", first);
    awaitLanded("c-same-name", 1);
    assertProcessed(share("corpus"), "c-same-name", "data.txt", first);

    drop(corpus("c-same-name"), "data.txt", second);

    DataLanded v2 = awaitLanded("c-same-name", 2);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rows()).isEqualTo(12);
    Path processedDir = share("corpus").resolve(".processed/c-same-name");
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (var files = Files.list(processedDir)) {
        return files.count() == 2;
      }
    });
    try (var files = Files.list(processedDir)) {
      assertThat(files.map(p -> {
        try {
          return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList()).containsExactlyInAnyOrder(new String(first, StandardCharsets.UTF_8), new String(second, StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldMakeNoNewVersionForTheSameContentUnderASecondName() throws Exception {
    byte[] content = CmapssMother.text(4, 10, 9).getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-same-content"), "a.txt", content);
    awaitLanded("c-same-content", 1);
    assertProcessed(share("corpus"), "c-same-content", "a.txt", content);

    drop(corpus("c-same-content"), "b.txt", content);

    assertProcessed(share("corpus"), "c-same-content", "b.txt", content);
    Thread.sleep(500);
    assertThat(IngestEvents.landed("c-same-content")).hasSize(1);
    assertThat(DatasetReader.of(store).latestVersion("c-same-content")).isEqualTo(1);
  }

  @Test
  void shouldQuarantineALinkPointingOutsideTheShareAndLeaveItsTargetAlone() throws Exception {
    Path outside = Files.createTempFile("outside-", ".txt");
    Files.writeString(outside, CmapssMother.text(1, 3, 10));
    Path dir = Files.createDirectories(corpus("c-link"));
    Files.createSymbolicLink(dir.resolve("escape.txt"), outside);

    DataRejected rejected = assertQuarantined("c-link", share("corpus"), "escape.txt", null, "link_outside_share");

    Path quarantined = Path.of(URI.create(rejected.quarantineUri()));
    assertThat(Files.isSymbolicLink(quarantined)).isTrue();
    assertThat(Files.readSymbolicLink(quarantined)).isEqualTo(outside);
    assertThat(outside).hasContent(CmapssMother.text(1, 3, 10));
  }

  @Test
  void shouldQuarantineAnOversizedFileUnread() throws Exception {
    byte[] content = CmapssMother.text(1, 1500, 11).getBytes(StandardCharsets.UTF_8);
    assertThat(content.length).isGreaterThan(200 * 1024);
    drop(corpus("c-oversized"), "big.txt", content);
    DataRejected rejected = assertQuarantined("c-oversized", share("corpus"), "big.txt", content, "too_large");
    assertThat(rejected.message()).contains("204800");
  }

  @Test
  void shouldQuarantineAFileThatChangesTheDatasetSchema() throws Exception {
    drop(csv("c-schema"), "one.csv", "id,temp\n1,20.5\n".getBytes(StandardCharsets.UTF_8));
    awaitLanded("c-schema", 1);
    byte[] changed = "id,temp,humidity\n2,21.0,0.4\n".getBytes(StandardCharsets.UTF_8);

    drop(csv("c-schema"), "two.csv", changed);

    DataRejected rejected = awaitRejected("c-schema");
    assertThat(rejected.reasonCode().wire()).isEqualTo("schema_mismatch");
    assertThat(rejected.message()).contains("humidity:float64").contains("[id:int64, temp:float64]");
    assertThat(Path.of(URI.create(rejected.quarantineUri()))).hasBinaryContent(changed);
    assertThat(IngestEvents.landed("c-schema")).hasSize(1);
  }

  @Test
  void shouldReportTextInANumericColumnOfAKnownCsvDatasetAsABadValue() throws Exception {
    drop(csv("c-known-schema"), "one.csv", "id,temp\n1,20.5\n".getBytes(StandardCharsets.UTF_8));
    awaitLanded("c-known-schema", 1);
    byte[] content = "id,temp\n2,warm\n".getBytes(StandardCharsets.UTF_8);

    drop(csv("c-known-schema"), "two.csv", content);

    DataRejected rejected = assertQuarantinedAfterVersions("c-known-schema", content);
    assertThat(rejected.reasonCode().wire()).isEqualTo("bad_value");
    assertThat(rejected.message()).contains("line 2").contains("'temp'").contains("warm");
  }

  @Test
  void shouldQuarantineABadRowDeepInsideALargeFileNamingItsExactLine() throws Exception {
    StringBuilder text = new StringBuilder(CmapssMother.repeated(200, 1000, 16)); // ~35 MB: several chunks, parsed in parallel
    int start = lineStart(text, 150_001);
    int end = text.indexOf("\n", start);
    String[] fields = text.substring(start, end).trim().split(" ");
    fields[9] = "9O.5"; // a letter O among the digits
    text.replace(start, end, String.join(" ", fields));
    byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
    Path shareRoot = share("large");

    drop(shareRoot.resolve("c-deep"), "big.txt", content);

    DataRejected rejected = assertQuarantined("c-deep", shareRoot, "big.txt", content, "bad_value");
    assertThat(rejected.message()).isEqualTo("line 150001, column 'sensor_5' (float64): cannot read '9O.5'");
  }

  @Test
  void shouldQuarantineALineLongerThanTheLimit() throws Exception {
    String text = CmapssMother.text(1, 10, 12) + "1 11 " + "7".repeat(100_000) + "\n" + CmapssMother.text(1, 10, 13);
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    drop(corpus("c-long-line"), "long.txt", content);
    DataRejected rejected = assertQuarantined("c-long-line", share("corpus"), "long.txt", content, "line_too_long");
    assertThat(rejected.message()).startsWith("line 11 ").contains("65536 bytes");
  }

  @Test
  void shouldQuarantineAGzipThatInflatesPastTheLimit() throws Exception {
    byte[] blankLines = new byte[60 << 20];
    Arrays.fill(blankLines, (byte) '\n');
    byte[] content = gzip(blankLines);
    assertThat(content.length).isLessThan(200 * 1024);
    drop(corpus("c-inflates"), "inflates.txt.gz", content);
    DataRejected rejected = assertQuarantined("c-inflates", share("corpus"), "inflates.txt.gz", content, "too_large");
    assertThat(rejected.message()).contains("decompresses to more than the limit of 52428800 bytes");
  }

  @Test
  void shouldNotQuarantineThroughALinkedFolderNorWriteOutsideTheShare() throws Exception {
    Path outside = Files.createTempDirectory("outside-quarantine-");
    Files.createDirectories(share("corpus").resolve(".quarantine"));
    Files.createSymbolicLink(share("corpus").resolve(".quarantine/c-qlink"), outside);
    List<String> lines = new java.util.ArrayList<>(CmapssMother.lines(1, 5, 14));
    lines.set(2, lines.get(2).replaceFirst(" \\S+ ", " oops "));
    byte[] content = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);

    drop(corpus("c-qlink"), "bad.txt", content);

    DataRejected rejected = awaitRejected("c-qlink");
    assertThat(rejected.reasonCode().wire()).isEqualTo("bad_value");
    assertThat(rejected.quarantineUri()).as("not quarantined").isNull();
    Thread.sleep(1500); // more polls: the file is left alone, not tried again and again
    assertThat(IngestEvents.rejected("c-qlink")).hasSize(1);
    assertThat(corpus("c-qlink").resolve("bad.txt")).hasBinaryContent(content);
    try (var written = Files.list(outside)) {
      assertThat(written).as("nothing written outside the share").isEmpty();
    }
  }

  @Test
  void shouldNotTidyThroughALinkedProcessedFolderNorWriteOutsideTheShare() throws Exception {
    Path outside = Files.createTempDirectory("outside-processed-");
    Files.createDirectories(share("corpus").resolve(".processed"));
    Files.createSymbolicLink(share("corpus").resolve(".processed/c-plink"), outside);
    byte[] content = CmapssMother.text(2, 7, 15).getBytes(StandardCharsets.UTF_8);

    drop(corpus("c-plink"), "good.txt", content);

    assertThat(awaitLanded("c-plink", 1).rows()).isEqualTo(7);
    Thread.sleep(1500);
    assertThat(IngestEvents.landed("c-plink")).hasSize(1);
    assertThat(corpus("c-plink").resolve("good.txt")).as("left in place").hasBinaryContent(content);
    try (var written = Files.list(outside)) {
      assertThat(written).as("nothing written outside the share").isEmpty();
    }
  }

  @Test
  void shouldReplaceALinkPlantedAsTheReasonFileInsteadOfWritingThroughIt() throws Exception {
    Path victim = Files.createTempFile("victim-", ".txt");
    Files.writeString(victim, "keep me");
    Path reasonDir = Files.createDirectories(share("corpus").resolve(".quarantine/c-rlink"));
    Files.createSymbolicLink(reasonDir.resolve("empty.txt.reason.json"), victim);

    drop(corpus("c-rlink"), "empty.txt", new byte[0]);

    assertQuarantined("c-rlink", share("corpus"), "empty.txt", new byte[0], "empty");
    assertThat(victim).hasContent("keep me");
    assertThat(Files.isSymbolicLink(reasonDir.resolve("empty.txt.reason.json"))).isFalse();
  }

  private static int lineStart(CharSequence text, long line) {
    long seen = 1;
    for (int i = 0; i < text.length(); i++) {
      if (seen == line) {
        return i;
      }
      if (text.charAt(i) == '\n') {
        seen++;
      }
    }
    throw new IllegalArgumentException("no line " + line);
  }

  private DataRejected assertQuarantinedAfterVersions(String dataset, byte[] content) {
    DataRejected rejected = awaitRejected(dataset);
    assertThat(Path.of(URI.create(rejected.quarantineUri()))).hasBinaryContent(content);
    return rejected;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
