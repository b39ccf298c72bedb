import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.format.Presets;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.ArtifactStores;
import io.edgeloop.storage.AzureBlobArtifactStore;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Ingest benchmark: a C-MAPSS-shaped text file (the reference FD001 rows repeated with new unit
 * numbers) through edgeloop's real pipeline (convert with hashing, validation and profiling, store,
 * verify by reading back) and through DuckDB's embedded engine ({@code COPY (SELECT * FROM
 * read_csv(...)) TO '...parquet'}, the same threads) on the same file in the same run, into the local
 * store; then edgeloop into Azurite beside a plain copy of the same input into the same container.
 * Rounds alternate the contenders so load from elsewhere hits both alike. Prints MB/s of input,
 * rows/s, peak heap, and the ratios. {@code --big BYTES} then converts one large file (e.g. 10 GB)
 * and deletes it. Run it with bench/ingest/run.sh; it is not part of the tests.
 */
public class IngestBench {
  static final String AZURITE =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

  record Options(Path work, long bytes, int threads, int rounds, long bigBytes, boolean azurite, Path reference) {
    static Options parse(String[] args) {
      Map<String, String> o = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        String key = args[i].substring(2);
        o.put(key, key.equals("no-azurite") ? "true" : args[++i]);
      }
      return new Options(Path.of(o.getOrDefault("work", "/tmp/edgeloop-ingest-bench")),
          Long.parseLong(o.getOrDefault("bytes", String.valueOf(1L << 30))),
          Integer.parseInt(o.getOrDefault("threads", "2")),
          Integer.parseInt(o.getOrDefault("rounds", "3")),
          Long.parseLong(o.getOrDefault("big", "0")),
          !o.containsKey("no-azurite"),
          Path.of(o.getOrDefault("reference", "/work/shared/data/cmapss/train_FD001.txt.gz")));
    }
  }

  /** One measured phase. */
  record Phase(String name, String store, int round, double seconds, double cpuSeconds, long bytes, long rows, long peakHeapMb,
      long liveHeapMb, String load) {
    double mbPerSecond() {
      return bytes / 1e6 / seconds;
    }

    /** Input MB per CPU-second of this process (DuckDB's native threads included): a measure load from elsewhere hardly moves. */
    double mbPerCpuSecond() {
      return bytes / 1e6 / cpuSeconds;
    }
  }

  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static double cpuSeconds() {
    return OS.getProcessCpuTime() / 1e9;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Files.createDirectories(options.work());
    Path input = options.work().resolve("cmapss-" + (options.bytes() >> 20) + "m.txt");
    long rows = generate(options.reference(), input, options.bytes());
    long bytes = Files.size(input);
    System.out.printf(Locale.ROOT, "input: %s, %.1f MB, %d rows; max heap %d MB; %d threads for edgeloop and DuckDB; %d CPUs; load %s%n",
        input, bytes / 1e6, rows, Runtime.getRuntime().maxMemory() >> 20, options.threads(),
        Runtime.getRuntime().availableProcessors(), load());

    List<Phase> phases = new ArrayList<>();
    LocalArtifactStore local = new LocalArtifactStore(options.work().resolve("store"));
    AzureBlobArtifactStore azure = options.azurite() && azuriteUp() ? azurite() : null;
    try {
      for (int round = 1; round <= options.rounds(); round++) {
        boolean duckFirst = round % 2 == 0;
        if (duckFirst) {
          phases.add(print(duckdb(input, bytes, rows, options.threads(), options.work(), round)));
        }
        phases.add(print(ingest("local", local, input, bytes, options, round)));
        if (!duckFirst) {
          phases.add(print(duckdb(input, bytes, rows, options.threads(), options.work(), round)));
        }
        phases.add(print(copy("local", local, input, bytes, round)));
        if (azure != null) {
          phases.add(print(copy("azurite", azure, input, bytes, round)));
          phases.add(print(ingest("azurite", azure, input, bytes, options, round)));
        }
      }
      summary(phases, options, azure != null);
      if (options.bigBytes() > 0) {
        big(options, local, phases);
      }
    } finally {
      if (azure != null) {
        azure.container().deleteIfExists();
      }
      deleteTree(options.work().resolve("store"));
      deleteTree(options.work().resolve("spool"));
      Files.deleteIfExists(options.work().resolve("duckdb.parquet"));
    }
  }

  static void summary(List<Phase> phases, Options options, boolean azurite) {
    System.out.println();
    System.out.println("| phase | store | round | seconds | MB/s (input) | CPU s | MB per CPU s | rows/s | peak heap used MB (live after GC) | load avg (1 min) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Phase p : phases) {
      System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |%n", p.name(), p.store(), p.round(), p.seconds(),
          p.mbPerSecond(), p.cpuSeconds(), p.mbPerCpuSecond(), p.rows() > 0 ? String.format(Locale.ROOT, "%.0f", p.rows() / p.seconds()) : "-",
          p.peakHeapMb() >= 0 ? p.peakHeapMb() + " (" + p.liveHeapMb() + ")" : "- (native)", p.load());
    }
    System.out.println();
    List<Double> vsDuck = new ArrayList<>();
    List<Double> vsCopy = new ArrayList<>();
    for (int round = 1; round <= options.rounds(); round++) {
      Phase ours = find(phases, "edgeloop", "local", round);
      Phase duck = find(phases, "duckdb", "local", round);
      vsDuck.add(ours.mbPerSecond() / duck.mbPerSecond());
      if (azurite) {
        vsCopy.add(find(phases, "edgeloop", "azurite", round).mbPerSecond() / find(phases, "plain copy", "azurite", round).mbPerSecond());
      }
    }
    System.out.printf(Locale.ROOT, "edgeloop / DuckDB, local, per round: %s; median %.2fx (median MB/s: edgeloop %.1f, DuckDB %.1f)%n",
        format(vsDuck), median(vsDuck), median(mbps(phases, "edgeloop", "local")), median(mbps(phases, "duckdb", "local")));
    System.out.printf(Locale.ROOT, "MB per CPU-second (median): edgeloop %.1f, DuckDB %.1f: %.2fx%n",
        median(perCpu(phases, "edgeloop", "local")), median(perCpu(phases, "duckdb", "local")),
        median(perCpu(phases, "edgeloop", "local")) / median(perCpu(phases, "duckdb", "local")));
    if (azurite) {
      System.out.printf(Locale.ROOT, "edgeloop into Azurite / plain copy into Azurite, per round: %s; median %.2fx (median MB/s: edgeloop %.1f, copy %.1f)%n",
          format(vsCopy), median(vsCopy), median(mbps(phases, "edgeloop", "azurite")), median(mbps(phases, "plain copy", "azurite")));
    }
  }

  /** One large input through edgeloop into the local store, compared with the main runs; the input is deleted afterwards. */
  static void big(Options options, LocalArtifactStore local, List<Phase> phases) throws Exception {
    Path input = options.work().resolve("cmapss-big-" + (options.bigBytes() >> 20) + "m.txt");
    try {
      long rows = generate(options.reference(), input, options.bigBytes());
      long bytes = Files.size(input);
      System.out.printf(Locale.ROOT, "%nlarge input: %s, %.1f MB, %d rows, max heap %d MB, load %s%n", input, bytes / 1e6, rows,
          Runtime.getRuntime().maxMemory() >> 20, load());
      Phase p = print(ingest("local", local, input, bytes, options, 0));
      double base = median(mbps(phases, "edgeloop", "local"));
      System.out.printf(Locale.ROOT, "large input: %.1f MB/s, peak heap %d MB (live after GC %d MB): %.0f%% of the %.0f MB input's median %.1f MB/s%n",
          p.mbPerSecond(), p.peakHeapMb(), p.liveHeapMb(), 100 * p.mbPerSecond() / base, options.bytes() / 1e6, base);
    } finally {
      Files.deleteIfExists(input);
    }
  }

  static Phase print(Phase p) {
    System.out.printf(Locale.ROOT, "%-10s %-8s round %d: %6.1f s, %7.1f MB/s, %6.1f CPU s, peak heap %s MB, load %s%n", p.name(), p.store(),
        p.round(), p.seconds(), p.mbPerSecond(), p.cpuSeconds(), p.peakHeapMb() >= 0 ? p.peakHeapMb() : "-", p.load());
    return p;
  }

  static Phase copy(String name, ArtifactStore store, Path input, long bytes, int round) throws IOException {
    resetPeaks();
    long t0 = System.nanoTime();
    double c0 = cpuSeconds();
    store.putFile("bench/plain-copy.txt", input);
    double s = (System.nanoTime() - t0) / 1e9;
    Phase p = new Phase("plain copy", name, round, s, cpuSeconds() - c0, bytes, 0, PEAK_USED.get() >> 20, liveAfterGcMb(), load());
    store.delete("bench/plain-copy.txt");
    return p;
  }

  static Phase ingest(String name, ArtifactStore store, Path input, long bytes, Options options, int round) throws Exception {
    DatasetCatalog catalog = new DatasetCatalog(store, true);
    Announcer quiet = new Announcer(null, catalog, null) {
      @Override
      public void landed(DatasetManifest m) throws IOException {
        catalog.markAnnounced(m.dataset(), m.version());
      }
    };
    ParquetConverter.Settings settings = ParquetConverter.Settings.defaults().withThreads(options.threads());
    Ingestor ingestor = new Ingestor(catalog, quiet, new IngestMetrics(new SimpleMeterRegistry()), options.work().resolve("spool"),
        IngestProperties.SchemaChangePolicy.REJECT, settings, 3);
    String dataset = "bench-" + System.currentTimeMillis();
    resetPeaks();
    long t0 = System.nanoTime();
    double c0 = cpuSeconds();
    Outcome outcome = ingestor.ingest(new BenchFile(input, dataset, bytes));
    double s = (System.nanoTime() - t0) / 1e9;
    double cpu = cpuSeconds() - c0;
    if (!(outcome instanceof Outcome.Accepted accepted)) {
      throw new IllegalStateException("not accepted: " + outcome);
    }
    DatasetManifest m = accepted.manifest();
    Phase p = new Phase("edgeloop", name, round, s, cpu, bytes, m.rows(), PEAK_USED.get() >> 20, liveAfterGcMb(), load());
    for (String key : store.list("datasets/" + dataset + "/")) {
      store.delete(key);
    }
    return p;
  }

  /** DuckDB 2.0 embedded: the same file, the same column types, Snappy Parquet, the same threads, native memory capped. */
  static Phase duckdb(Path input, long bytes, long expectedRows, int threads, Path work, int round) throws Exception {
    Path out = work.resolve("duckdb.parquet");
    Files.deleteIfExists(out);
    StringBuilder columns = new StringBuilder("{'unit': 'BIGINT', 'cycle': 'BIGINT'");
    for (int i = 1; i <= 3; i++) {
      columns.append(", 'op_setting_").append(i).append("': 'DOUBLE'");
    }
    for (int i = 1; i <= 21; i++) {
      columns.append(", 'sensor_").append(i).append("': 'DOUBLE'");
    }
    columns.append('}');
    resetPeaks();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("SET threads = " + threads);
      st.execute("SET memory_limit = '512MB'");
      long t0 = System.nanoTime();
      double c0 = cpuSeconds();
      st.execute("COPY (SELECT * FROM read_csv('" + input + "', delim = ' ', header = false, columns = " + columns + "))"
          + " TO '" + out + "' (FORMAT parquet, COMPRESSION snappy)");
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = cpuSeconds() - c0;
      try (ResultSet r = st.executeQuery("SELECT count(*) FROM '" + out + "'")) {
        r.next();
        if (r.getLong(1) != expectedRows) {
          throw new IllegalStateException("DuckDB wrote " + r.getLong(1) + " rows, expected " + expectedRows);
        }
      }
      return new Phase("duckdb", "local", round, s, cpu, bytes, expectedRows, -1, -1, load());
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static long generate(Path reference, Path out, long target) throws IOException {
    if (Files.exists(out) && Files.size(out) >= target) {
      try (var lines = Files.lines(out)) {
        return lines.count();
      }
    }
    List<String[]> base = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(reference)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          base.add(line.trim().split("\\s+", 2));
        }
      }
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

  static AzureBlobArtifactStore azurite() throws IOException {
    return (AzureBlobArtifactStore) ArtifactStores.open(new StorageSettings(
        URI.create("http://127.0.0.1:10000/devstoreaccount1/bench-" + System.currentTimeMillis()),
        new StorageSettings.Azure(AZURITE, null, false)));
  }

  static boolean azuriteUp() {
    try (var socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", 10000), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static Phase find(List<Phase> phases, String name, String store, int round) {
    return phases.stream().filter(p -> p.name().equals(name) && p.store().equals(store) && p.round() == round).findFirst().orElseThrow();
  }

  static List<Double> mbps(List<Phase> phases, String name, String store) {
    return phases.stream().filter(p -> p.name().equals(name) && p.store().equals(store) && p.round() > 0).map(Phase::mbPerSecond).toList();
  }

  static List<Double> perCpu(List<Phase> phases, String name, String store) {
    return phases.stream().filter(p -> p.name().equals(name) && p.store().equals(store) && p.round() > 0).map(Phase::mbPerCpuSecond).toList();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String format(List<Double> ratios) {
    return String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2fx", r)).toList());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Peak heap in use, sampled every 5 ms (garbage included). */
  static final AtomicLong PEAK_USED = new AtomicLong();

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

  /** The most heap left live after a collection during the phase (the old generation's usage after its last GC). */
  static long liveAfterGcMb() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        live = Math.max(live, pool.getCollectionUsage().getUsed());
      }
    }
    return live >> 20;
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
