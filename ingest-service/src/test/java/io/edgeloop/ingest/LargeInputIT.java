package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.format.Presets;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow group ({@code @Tag("slow")}; leave it out with {@code -DexcludedGroups=slow}): inputs of
 * gigabytes through the service in its own JVM at {@code -Xmx256m} (as on a small edge box, C2
 * compiler on), each generated in the test's temporary folder and deleted after it. Sizes can be
 * lowered for a quick run with {@code -Dedgeloop.ingest.large.crash-bytes} and
 * {@code -Dedgeloop.ingest.large.bad-row-bytes}; each test skips with its reason when the disk has
 * less than 2.5 times its input free.
 */
@Tag("slow")
class LargeInputIT {
  /** The crash-resume input: ~10 GB of C-MAPSS-shaped text. */
  private static final long CRASH_BYTES = Long.getLong("edgeloop.ingest.large.crash-bytes", 10_000_000_000L);
  /** The bad-row input: a few hundred MB. */
  private static final long BAD_ROW_BYTES = Long.getLong("edgeloop.ingest.large.bad-row-bytes", 300_000_000L);
  private static final int CYCLES = 1000;
  private static final String CHUNK_SIZE = "12MB";
  private static final String MAX_LINE = "1MB";

  @TempDir Path dir;
  private final List<IngestProcess> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (IngestProcess p : processes) {
      p.kill();
    }
  }

  /**
   * SIGKILL once the progress metric says at least 40 % of the input was read, then a normal start:
   * the input is converted again from its start (nothing of the killed run is kept) and ends as
   * exactly one version holding every row, one DataLanded on the topic, nothing else in the store,
   * the half-written spool file deleted and the original moved to the processed area once.
   */
  @Test
  void shouldEndA10GbInputKilledMidConversionAsExactlyOneCompleteVersion() throws Exception {
    requireFreeSpace(CRASH_BYTES);
    String dataset = "resume-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    IngestEvents.start();
    int port = IngestProcess.freePort();
    IngestProcess first = start(dataset, share, port, "first.log");

    long generating = System.nanoTime();
    Path staging = share.resolve(".big.txt.tmp"); // a hidden name: not picked up before the rename
    long lines = CmapssMother.write(staging, CRASH_BYTES, CYCLES, 7);
    long size = Files.size(staging);
    System.out.printf("[large] generated %,d bytes (%,d lines) in %.1f s%n", size, lines, seconds(generating));
    long converting = System.nanoTime();
    Files.move(staging, share.resolve("big.txt"), StandardCopyOption.ATOMIC_MOVE);

    await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> !first.isAlive() || IngestProcess.gauge(port, "edgeloop_ingest_progress_bytes") >= size * 4 / 10);
    assertThat(first.isAlive()).as("service died before 40 %%:\n%s", first.tail()).isTrue();
    assertThat(IngestProcess.gauge(port, "edgeloop_ingest_progress_total_bytes")).as("progress total").isEqualTo(size);
    long read = IngestProcess.gauge(port, "edgeloop_ingest_progress_bytes");
    assertThat(read).as("progress").isBetween(size * 4 / 10, size - 1);
    assertThat(first.log()).as("progress in the log").containsPattern("ingesting share big\\.txt: \\d+ of " + (size >> 20) + " MB read \\(\\d+%\\)");
    first.kill();
    System.out.printf("[large] killed at %,d of %,d bytes (%d %%), %.1f s after the drop%n", read, size, 100 * read / size, seconds(converting));

    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("data/blobs"));
    assertThat(DatasetReader.of(store).index(dataset)).as("no version, not even a half one").isEmpty();
    assertThat(store.list("datasets/" + dataset + "/")).as("nothing in the store").isEmpty();
    assertThat(IngestProcess.spoolFiles(dir.resolve("data"))).as("the killed run's half-written Parquet").hasSize(1);
    assertThat(share.resolve("big.txt")).exists();
    assertThat(IngestEvents.landed(dataset)).isEmpty();

    long restarted = System.nanoTime();
    int secondPort = IngestProcess.freePort();
    IngestProcess second = start(dataset, share, secondPort, "second.log");
    await().atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofSeconds(1))
        .until(() -> !IngestEvents.landed(dataset).isEmpty() || !second.isAlive());
    assertThat(second.isAlive()).as("restarted service died:\n%s", second.tail()).isTrue();
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(share.resolve(".processed/big.txt")));
    System.out.printf("[large] restart to DataLanded: %.1f s%n", seconds(restarted));
    Thread.sleep(3000); // more polls of the share: nothing else may be announced

    List<DataLanded> landed = IngestEvents.landed(dataset);
    assertThat(landed).as("DataLanded on the topic").hasSize(1);
    assertThat(landed.get(0).version()).isEqualTo(1);
    assertThat(landed.get(0).rows()).isEqualTo(lines);
    assertThat(IngestEvents.rejected(dataset)).isEmpty();
    DatasetIndex index = DatasetReader.of(store).index(dataset).orElseThrow();
    assertThat(index.versions()).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(DatasetIndex.ANNOUNCED);
      assertThat(e.rows()).isEqualTo(lines);
      assertThat(e.sourceItem()).isEqualTo("big.txt");
    });
    assertThat(store.list("datasets/" + dataset + "/")).as("one version and its index, nothing orphaned")
        .containsExactlyInAnyOrder("datasets/" + dataset + "/index.json", "datasets/" + dataset + "/v1/data.parquet",
            "datasets/" + dataset + "/v1/manifest.json");
    DatasetManifest manifest = DatasetReader.of(store).manifest(dataset, 1);
    assertThat(manifest.sourceBytes()).isEqualTo(size);
    assertThat(manifest.rows()).isEqualTo(lines);
    Path parquet = dir.resolve("data/blobs/datasets/" + dataset + "/v1/data.parquet");
    assertThat(sha256(parquet)).as("stored Parquet").isEqualTo(manifest.sha256());
    assertEveryRow(parquet, lines);

    assertThat(share.resolve("big.txt")).doesNotExist();
    try (var processed = Files.list(share.resolve(".processed"))) {
      assertThat(processed.map(p -> p.getFileName().toString()).toList()).as("tidied once").containsExactly("big.txt");
    }
    assertThat(Files.size(share.resolve(".processed/big.txt"))).isEqualTo(size);
    assertThat(IngestProcess.spoolFiles(dir.resolve("data"))).as("the killed run's spool file deleted at start-up").isEmpty();
    assertThat(second.log()).contains("left by a conversion that did not finish")
        .containsPattern("ingesting share big\\.txt: \\d+ of " + (size >> 20) + " MB read \\(\\d+%\\)");
    assertThat(IngestProcess.gauge(secondPort, "edgeloop_ingest_progress_total_bytes")).as("idle again").isZero();
    System.out.printf("[large] %s%n", second.log().lines().filter(l -> l.contains("-> " + dataset + "@1")).findFirst().orElse("?"));
  }

  /**
   * One bad value in the first line after a chunk split near the end of a few hundred MB: where
   * the service will cut the input is found by converting the clean file with the same chunk size
   * and line limit here (the progress callback gives the rows after each chunk), and the bad value
   * is written over a value of the same length, so the cuts stay where they were.
   */
  @Test
  void shouldQuarantineABadValueRightAfterAChunkSplitNearTheEndOfALargeFileNamingItsExactLine() throws Exception {
    requireFreeSpace(BAD_ROW_BYTES);
    String dataset = "deep-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    IngestEvents.start();
    Path input = dir.resolve("bad.txt");
    long lines = CmapssMother.write(input, BAD_ROW_BYTES, CYCLES, 9);
    long size = Files.size(input);

    List<Long> rowsAfterChunk = new ArrayList<>();
    ParquetConverter.Settings settings = new ParquetConverter.Settings(2, 12 << 20, 1 << 20, 0);
    try (InputStream in = Files.newInputStream(input)) {
      new ParquetConverter(settings).convert(in, "bad.txt", Presets.CMAPSS, null, dir.resolve("probe.parquet"), rowsAfterChunk::add);
    }
    Files.delete(dir.resolve("probe.parquet"));
    assertThat(rowsAfterChunk.get(rowsAfterChunk.size() - 1)).isEqualTo(lines);
    long badLine = rowsAfterChunk.get(rowsAfterChunk.size() - 2) + 1; // the first line of the last chunk
    assertThat(badLine).as("near the end").isGreaterThan(lines * 9 / 10);
    String field = spoilSensor5(input, badLine);
    assertThat(Files.size(input)).isEqualTo(size);
    String inputSha = sha256(input);

    start(dataset, share, IngestProcess.freePort(), "service.log");
    Files.move(input, share.resolve("bad.txt"), StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1)).until(() -> !IngestEvents.rejected(dataset).isEmpty());
    Thread.sleep(2000);

    List<DataRejected> rejected = IngestEvents.rejected(dataset);
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).reasonCode().wire()).isEqualTo("bad_value");
    assertThat(rejected.get(0).message()).isEqualTo("line " + badLine + ", column 'sensor_5' (float64): cannot read '" + field + "'");
    Path quarantined = share.resolve(".quarantine/bad.txt");
    assertThat(Path.of(URI.create(rejected.get(0).quarantineUri()))).isEqualTo(quarantined);
    assertThat(sha256(quarantined)).as("quarantined byte for byte").isEqualTo(inputSha);
    assertThat(Files.readString(share.resolve(".quarantine/bad.txt.reason.json"))).contains("bad_value").contains("line " + badLine + ",");
    assertThat(share.resolve("bad.txt")).doesNotExist();
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("data/blobs"));
    assertThat(DatasetReader.of(store).index(dataset)).as("nothing stored").isEmpty();
    assertThat(store.list("datasets/" + dataset + "/")).isEmpty();
    assertThat(IngestEvents.landed(dataset)).isEmpty();
    assertThat(IngestProcess.spoolFiles(dir.resolve("data"))).isEmpty();
    System.out.printf("[large] %,d bytes, %,d lines, %d chunks: line %,d (after a split) named; %s%n", size, lines, rowsAfterChunk.size(),
        badLine, rejected.get(0).message());
  }

  /** Puts a letter among the digits of line {@code line}'s sensor_5 (its 10th field), in place; returns the new field. */
  private static String spoilSensor5(Path file, long line) throws IOException {
    long offset = 0;
    long newlines = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      int b;
      while (newlines < line - 1 && (b = in.read()) >= 0) {
        offset++;
        if (b == '\n') {
          newlines++;
        }
      }
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] buf = new byte[4096];
      raf.seek(offset);
      int n = raf.read(buf);
      String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
      String original = text.substring(0, text.indexOf('\n'));
      String[] fields = original.trim().split(" ");
      int digit = fields[9].length() - 2;
      String spoiled = fields[9].substring(0, digit) + "O" + fields[9].substring(digit + 1);
      int at = 0;
      for (int i = 0; i < 9; i++) {
        at = original.indexOf(' ', at) + 1;
      }
      raf.seek(offset + at);
      raf.write(spoiled.getBytes(StandardCharsets.US_ASCII));
      return spoiled;
    }
  }

  /** Every line became a row: the footer's row count, and unit/cycle ranges from the row groups' statistics. */
  private static void assertEveryRow(Path parquet, long lines) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(parquet), ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      long rows = 0;
      long maxUnit = 0;
      long maxCycle = 0;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        rows += block.getRowCount();
        maxUnit = Math.max(maxUnit, ((Number) block.getColumns().get(0).getStatistics().genericGetMax()).longValue());
        maxCycle = Math.max(maxCycle, ((Number) block.getColumns().get(1).getStatistics().genericGetMax()).longValue());
      }
      assertThat(rows).as("rows in the stored Parquet").isEqualTo(lines);
      assertThat(maxUnit).as("last unit").isEqualTo(lines / CYCLES);
      assertThat(maxCycle).isEqualTo(CYCLES);
    }
  }

  private void requireFreeSpace(long inputBytes) throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    long needed = inputBytes * 5 / 2; // the input, its Parquet in the spool and in the store, and room for others
    Assumptions.assumeTrue(free >= needed, String.format("needs %.1f GB free in %s for a %.1f GB input; %.1f GB free",
        needed / 1e9, dir, inputBytes / 1e9, free / 1e9));
  }

  private IngestProcess start(String dataset, Path share, int port, String log) throws IOException {
    IngestProcess process = IngestProcess.start(dir.resolve("data"), dataset, share, List.of("-XX:TieredStopAtLevel=4"),
        List.of("--server.port=" + port, "--edgeloop.ingest.conversion.chunk-size=" + CHUNK_SIZE,
            "--edgeloop.ingest.limits.max-line-length=" + MAX_LINE),
        dir.resolve(log));
    processes.add(process);
    return process;
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
      Files.copy(file, out);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

}
