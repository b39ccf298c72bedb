import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.ingest.format.Presets;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.ArtifactStores;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.StorageSettings;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Ingest benchmark: a ~1 GB C-MAPSS-shaped text file (the reference FD001 rows repeated with new
 * unit numbers) through the real pipeline (hash, convert to Parquet, store, verify by reading back)
 * into the local store and into Azurite, beside a plain copy of the same bytes into the same store
 * (the ceiling). Prints MB/s (of input text), rows/s and the peak heap of each phase. Run it with
 * bench/ingest/run.sh; it is not part of the tests.
 */
public class IngestBench {
  static final String AZURITE =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/edgeloop-ingest-bench");
    long targetBytes = args.length > 1 ? Long.parseLong(args[1]) : 1L << 30;
    Path shared = Path.of(args.length > 2 ? args[2] : "/work/shared/data/cmapss/train_FD001.txt.gz");
    Files.createDirectories(work);
    Path input = work.resolve("cmapss-" + (targetBytes >> 20) + "m.txt");
    long rows = generate(shared, input, targetBytes);
    long bytes = Files.size(input);
    System.out.printf(Locale.ROOT, "input: %s, %.1f MB, %d rows; max heap %d MB%n", input, bytes / 1e6, rows,
        Runtime.getRuntime().maxMemory() >> 20);

    List<String> report = new ArrayList<>();
    ArtifactStore local = new LocalArtifactStore(work.resolve("store"));
    report.add(copy("local", local, input, bytes));
    report.add(ingest("local", local, input, bytes, work));
    if (azuriteUp()) {
      ArtifactStore azure = ArtifactStores.open(new StorageSettings(
          URI.create("http://127.0.0.1:10000/devstoreaccount1/bench-" + System.currentTimeMillis()),
          new StorageSettings.Azure(AZURITE, null, false)));
      report.add(copy("azurite", azure, input, bytes));
      report.add(ingest("azurite", azure, input, bytes, work));
    } else {
      report.add("azurite: not running on 127.0.0.1:10000, skipped");
    }
    System.out.println();
    System.out.println("| phase | store | seconds | MB/s (input) | rows/s | peak heap used MB |");
    System.out.println("|---|---|---|---|---|---|");
    report.forEach(System.out::println);
  }

  static String copy(String name, ArtifactStore store, Path input, long bytes) throws IOException {
    resetPeaks();
    long t0 = System.nanoTime();
    store.putFile("bench/plain-copy.txt", input);
    double s = (System.nanoTime() - t0) / 1e9;
    String line = String.format(Locale.ROOT, "| plain copy (ceiling) | %s | %.1f | %.1f | - | %s |", name, s, bytes / 1e6 / s, peakHeapMb());
    store.delete("bench/plain-copy.txt");
    System.out.println(line);
    return line;
  }

  static String ingest(String name, ArtifactStore store, Path input, long bytes, Path work) throws Exception {
    DatasetCatalog catalog = new DatasetCatalog(store, true);
    Announcer quiet = new Announcer(null, catalog) {
      @Override
      public void landed(DatasetManifest m) throws IOException {
        catalog.markAnnounced(m.dataset(), m.version());
      }
    };
    Ingestor ingestor = new Ingestor(catalog, quiet, new IngestMetrics(new SimpleMeterRegistry()), work.resolve("spool"),
        IngestProperties.SchemaChangePolicy.REJECT);
    String dataset = "bench-" + System.currentTimeMillis();
    resetPeaks();
    long t0 = System.nanoTime();
    Outcome outcome = ingestor.ingest(new BenchFile(input, dataset, bytes));
    double s = (System.nanoTime() - t0) / 1e9;
    if (!(outcome instanceof Outcome.Accepted accepted)) {
      throw new IllegalStateException("not accepted: " + outcome);
    }
    DatasetManifest m = accepted.manifest();
    String line = String.format(Locale.ROOT, "| text -> Parquet (hash, convert, store, verify) | %s | %.1f | %.1f | %.0f | %s |",
        name, s, bytes / 1e6 / s, m.rows() / s, peakHeapMb());
    System.out.println(line + "  parquet " + (m.bytes() >> 20) + " MB");
    return line;
  }

  static long generate(Path shared, Path out, long target) throws IOException {
    List<String[]> base = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(shared)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          base.add(line.trim().split("\\s+", 2));
        }
      }
    }
    if (Files.exists(out) && Files.size(out) >= target) {
      long rows;
      try (var lines = Files.lines(out)) {
        rows = lines.count();
      }
      return rows;
    }
    long rows = 0;
    long written = 0;
    int repeat = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      while (written < target) {
        for (String[] fields : base) {
          String line = (Integer.parseInt(fields[0]) + 100 * repeat) + " " + fields[1] + " \n";
          w.write(line);
          written += line.length();
          rows++;
        }
        repeat++;
      }
    }
    return rows;
  }

  static boolean azuriteUp() {
    try (var socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", 10000), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Peak heap in use (sampled every 5 ms, garbage included) and peak heap left live after a GC. */
  static final java.util.concurrent.atomic.AtomicLong PEAK_USED = new java.util.concurrent.atomic.AtomicLong();

  static {
    Thread sampler = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (true) {
        PEAK_USED.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  static void resetPeaks() {
    System.gc();
    PEAK_USED.set(0);
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  static String peakHeapMb() {
    long liveAfterGc = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        liveAfterGc = Math.max(liveAfterGc, pool.getCollectionUsage().getUsed());
      }
    }
    return (PEAK_USED.get() >> 20) + " (" + (liveAfterGc >> 20) + " after last GC)";
  }

  record BenchFile(Path file, String dataset, long size) implements IngestItem {
    public String kind() { return "share"; }
    public String location() { return file.getParent().toString(); }
    public String name() { return file.getFileName().toString(); }
    public TableFormat format() { return Presets.CMAPSS; }
    public long maxSize() { return 0; }
    public Instant readyAt() { return Instant.now(); }
    public IngestProperties.SchemaChangePolicy onSchemaChange() { return null; }
    public InputStream open() throws IOException { return Files.newInputStream(file); }
    public void tidy(String sha) {}
    public URI quarantine(byte[] reason) { throw new UnsupportedOperationException(); }
  }
}
