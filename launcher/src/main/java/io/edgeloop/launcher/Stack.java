package io.edgeloop.launcher;

import io.edgeloop.database.EmbeddedPostgresServer;
import io.edgeloop.launcher.cli.StackInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * One-command mode: a real Kafka broker (Apache Kafka's KRaft server, in-process, its log in the
 * data folder) unless an external one is given, one real PostgreSQL for the whole stack (a schema
 * per service, password authentication), and the four services, each its own Spring context with
 * its own configuration file, on the same configuration keys as when they run separately. Once all
 * answer healthy, the stack says where it listens in {@code <data-dir>/stack.json}.
 */
public final class Stack implements AutoCloseable {
  private final StackSettings settings;
  private final PrintStream out;
  private StackFolder folder;
  private Path tokenFile;
  /**
   * How many services start at once: all four, since three of them wait for the broker in their
   * binders for part of their start, and a lane that waits leaves a core idle.
   */
  static final int PARALLEL_STARTS = Integer.getInteger("edgeloop.parallel-starts", 4);
  private EmbeddedBroker broker;
  private CompletableFuture<EmbeddedBroker> brokerStart;
  private EmbeddedPostgresServer database;
  private CompletableFuture<EmbeddedPostgresServer> databaseStart;
  private int databasePort;
  private String databasePassword;
  private String bootstrapServers;
  private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final StartupPhases phases = new StartupPhases();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Stack.class);

  private Stack(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public static Stack start(StackSettings settings, PrintStream out) throws IOException {
    Stack stack = new Stack(settings, out);
    try {
      stack.open();
      stack.startInfrastructure();
      stack.startServices();
      return stack;
    } catch (RuntimeException | IOException e) {
      stack.close();
      throw e;
    }
  }

  private void open() throws IOException {
    StackLogging.configure(logFile(), settings.consoleLogLevel(), settings.properties());
    folder = StackFolder.open(settings.dataDir());
    tokenFile = folder.adminToken();
  }

  /**
   * The broker and the database start in the background (their ports, and the database's password,
   * are chosen first, so the services know them); the services start side by side ({@link
   * #PARALLEL_STARTS} at a time) meanwhile: those that consume events wait for the broker in their
   * binder, and each waits for the database only when its {@code DataSource} is made (see {@link
   * DatabaseGate}), so that loading and wiring a service's classes overlaps initdb and the server's start.
   */
  private void startInfrastructure() throws IOException {
    int offset = 1;
    for (ServiceDefinition service : ServiceDefinition.all()) {
      ports.put(service.name(), settings.portBase() > 0 ? settings.portBase() + offset : service.defaultPort());
      offset++;
    }
    Set<Integer> planned = new HashSet<>(ports.values());
    Object edgePort = settings.properties().get("edgeloop.deploy.local-target.port");
    if (edgePort != null && edgePort.toString().matches("\\d{1,5}")) {
      planned.add(Integer.parseInt(edgePort.toString())); // the model server's container publishes it later
    }
    LoopbackPorts loopback = new LoopbackPorts(planned);
    boolean externalKafka = settings.externalKafka() != null && !settings.externalKafka().isBlank();
    if (externalKafka) {
      bootstrapServers = settings.externalKafka();
      brokerStart = CompletableFuture.completedFuture(null);
    } else {
      int port = EmbeddedBroker.choosePort(settings.kafkaPort(), loopback);
      bootstrapServers = EmbeddedBroker.bootstrapServers(port);
      Path log = folder.dir().resolve("kafka");
      String phase = Files.exists(log.resolve("meta.properties")) ? "kafka" : "kafka (new log: format)";
      brokerStart = inBackground("edgeloop-kafka-start", () -> phases.time(phase, () -> EmbeddedBroker.start(log, port, loopback)));
    }
    if (!settings.properties().containsKey("spring.datasource.url")) {
      Path data = folder.dir().resolve("postgres");
      databasePort = loopback.free();
      databasePassword = EmbeddedPostgresServer.password(data);
      String phase = Files.exists(data.resolve("PG_VERSION")) ? "postgres" : "postgres (new cluster: initdb)";
      databaseStart = inBackground("edgeloop-postgres-start", () -> phases.time(phase, () -> {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, databasePort, Duration.ofSeconds(90));
        try {
          server.createSchemas(ServiceDefinition.all().stream().map(ServiceDefinition::schema).toList());
        } catch (IOException e) {
          server.close();
          throw e;
        }
        return server;
      }));
    }
  }

  /** Its own thread, not the common pool: on two cores that pool has one thread, and the broker and the database must not queue. */
  private static <T> CompletableFuture<T> inBackground(String thread, StartupPhases.Phase<T> start) {
    return CompletableFuture.supplyAsync(() -> unchecked(start), runnable -> {
      Thread t = new Thread(runnable, thread);
      t.setDaemon(true);
      t.start();
    });
  }

  private void awaitDatabase() throws IOException {
    if (databaseStart == null) {
      return;
    }
    database = await(databaseStart);
    out.printf("%-18s 127.0.0.1:%d (embedded; data in %s, password authentication)%n", "postgres", database.port(), database.directory());
  }

  private void awaitBroker() throws IOException {
    broker = await(brokerStart);
    out.printf("%-18s %s (%s)%n", "kafka", bootstrapServers,
        broker == null ? "external" : "embedded; log in " + folder.dir().resolve("kafka"));
  }

  private void startServices() throws IOException {
    ExecutorService starts = Executors.newFixedThreadPool(PARALLEL_STARTS, runnable -> new Thread(runnable, "edgeloop-start"));
    Map<String, Future<ConfigurableApplicationContext>> started = new LinkedHashMap<>();
    try {
      for (ServiceDefinition service : ServiceDefinition.all()) {
        int port = ports.get(service.name());
        started.put(service.name(), starts.submit(phases.timed(service.name(), () -> startService(service, port))));
      }
      IOException failure = null;
      try {
        awaitDatabase();
      } catch (IOException | RuntimeException e) {
        // The services that did start are still collected below, so that close() stops them.
        failure = new IOException("PostgreSQL did not start: " + rootMessage(e), e);
      }
      try {
        awaitBroker();
      } catch (IOException | RuntimeException e) {
        if (failure == null) {
          failure = e instanceof IOException io ? io : new IOException("Kafka did not start: " + rootMessage(e), e);
        }
      }
      for (Map.Entry<String, Future<ConfigurableApplicationContext>> start : started.entrySet()) {
        try {
          services.put(start.getKey(), start.getValue().get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = new IOException(start.getKey() + " did not start: " + rootMessage(e.getCause()), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while starting " + start.getKey(), e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      starts.shutdown();
    }
  }

  private ConfigurableApplicationContext startService(ServiceDefinition service, int port) {
    Map<String, Object> properties = new HashMap<>(serviceProperties(service, port));
    properties.putAll(settings.properties());
    SpringApplication app = new SpringApplication(service.applicationClass());
    // The launcher owns shutdown order (services first, then the broker and the database), so no per-context hooks.
    app.setRegisterShutdownHook(false);
    if (databaseStart != null) {
      app.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(new DatabaseGate(databaseStart)));
    }
    Map<String, Object> defaults = new HashMap<>(properties);
    // Below the service's own file: a service that names its own migrations folder keeps it.
    defaults.put("spring.flyway.locations", "classpath:db/migration/" + service.name());
    app.setDefaultProperties(defaults);
    long began = System.nanoTime();
    ConfigurableApplicationContext context = app.run(commandLineArguments(properties));
    out.printf("%-18s http://127.0.0.1:%d  (started in %.1f s)%n", service.name(), port, (System.nanoTime() - began) / 1e9);
    return context;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** What every service gets in one-command mode, before the caller's {@code -D} properties. */
  private Map<String, String> serviceProperties(ServiceDefinition service, int port) {
    Map<String, String> properties = new HashMap<>(StackLogging.springProperties(logFile()));
    properties.put("spring.config.name", service.name());
    properties.put("edgeloop.kafka.bootstrap-servers", bootstrapServers);
    properties.put("edgeloop.data-dir", folder.dir().toString());
    properties.put("edgeloop.stack-id", folder.stackId());
    machineCache(System.getenv()).ifPresent(cache -> properties.put("edgeloop.packaging.cache-dir", cache.resolve("packaging").toString()));
    properties.put("edgeloop.security.bootstrap-token-file", tokenFile.toString());
    properties.put("server.port", String.valueOf(port));
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    if (databaseStart != null) {
      properties.put("spring.datasource.url", EmbeddedPostgresServer.jdbcUrl(databasePort, "postgres", service.schema()));
      properties.put("spring.datasource.username", EmbeddedPostgresServer.SUPERUSER);
      properties.put("spring.datasource.password", databasePassword);
      properties.put("spring.flyway.schemas", service.schema());
      properties.put("spring.flyway.default-schema", service.schema());
    }
    return properties;
  }

  /**
   * The user's cache folder for what every stack on this machine can share ({@code $XDG_CACHE_HOME}
   * or {@code ~/.cache}, then {@code edgeloop}), as Jib and Maven keep theirs: packaging's jlinked
   * runtime and image layers depend only on the JDK and the model server, not on a stack's data, so
   * a new data folder (a demo, a test, a second stack) finds them made and its start-up warm-up takes
   * under a second instead of 10-18 s of CPU beside the starting services. Empty where there is no
   * writable home: packaging then keeps its caches in the data folder.
   */
  static Optional<Path> machineCache(Map<String, String> env) {
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    String home = System.getProperty("user.home", "");
    Path base = !xdg.isBlank() ? Path.of(xdg) : home.isBlank() || home.equals("?") ? null : Path.of(home, ".cache");
    if (base == null) {
      return Optional.empty();
    }
    Path cache = base.resolve("edgeloop");
    try {
      Files.createDirectories(cache);
      return Files.isWritable(cache) ? Optional.of(cache) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Command-line arguments outrank the services' own files, as they do when a service runs alone. */
  private static String[] commandLineArguments(Map<String, Object> properties) {
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> {
      if (!key.equals("spring.config.name")) {
        args.add("--" + key + "=" + value);
      }
    });
    return args.toArray(String[]::new);
  }

  /** Waits until every service's {@code /actuator/health} says UP, then writes {@code stack.json}. */
  public void awaitHealthy(Duration timeout) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, Integer> service : ports.entrySet()) {
      String status = "";
      while (!status.contains("\"UP\"")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(service.getKey() + " is not healthy: " + status);
        }
        try {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(URI.create(url(service.getKey()) + "/actuator/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
          status = response.body();
        } catch (IOException e) {
          status = e.toString();
        }
        if (!status.contains("\"UP\"")) {
          Thread.sleep(250);
        }
      }
    }
    log.info(phases.summary());
    Map<String, String> urls = new LinkedHashMap<>();
    ports.keySet().forEach(name -> urls.put(name, url(name)));
    folder.publishKafkaClientSettings(kafkaClientSettings());
    folder.publish(StackInfo.of(folder.stackId(), bootstrapServers, urls, edgeTargetUrl(), tokenFile));
  }

  /** How the services reach the broker, for the CLI (see {@link #kafkaClientSettings(Environment)}); none before they run. */
  private Map<String, String> kafkaClientSettings() {
    return services.isEmpty() ? Map.of() : kafkaClientSettings(services.values().iterator().next().getEnvironment());
  }

  /**
   * How a service reaches a secured broker: the {@code security.*}, {@code sasl.*} and {@code ssl.*}
   * keys of its binder configuration (from {@code -D}, the environment or a file; placeholders
   * resolved), so that {@code events} and {@code dlq} connect as the services do.
   */
  static Map<String, String> kafkaClientSettings(Environment environment) {
    Map<String, String> configuration = Binder.get(environment)
        .bind("spring.cloud.stream.kafka.binder.configuration", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    Map<String, String> security = new java.util.TreeMap<>();
    configuration.forEach((key, value) -> {
      if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
        security.put(key, value);
      }
    });
    return security;
  }

  /** Where the local Docker target serves models, when the deploy service has one. */
  public String edgeTargetUrl() {
    ConfigurableApplicationContext deploy = services.get("deploy-service");
    if (deploy == null || !deploy.getEnvironment().getProperty("edgeloop.deploy.local-target.enabled", Boolean.class, true)) {
      return null;
    }
    return "http://127.0.0.1:" + deploy.getEnvironment().getProperty("edgeloop.deploy.local-target.port", "9000");
  }

  public String url(String service) {
    return "http://127.0.0.1:" + ports.get(service);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Map<String, Integer> ports() {
    return Map.copyOf(ports);
  }

  public ConfigurableApplicationContext service(String name) {
    return services.get(name);
  }

  public String stackId() {
    return folder.stackId();
  }

  /** The admin token file the services accept ({@code <data-dir>/admin.token}). */
  public Path tokenFile() {
    return tokenFile;
  }

  public Path logFile() {
    return settings.dataDir().toAbsolutePath().resolve("logs").resolve("edgeloop.log");
  }

  @Override
  public void close() {
    List<String> names = new ArrayList<>(services.keySet());
    Collections.reverse(names);
    for (String name : names) {
      try {
        services.remove(name).close();
      } catch (RuntimeException e) {
        out.println(name + " did not stop cleanly: " + e);
      }
    }
    if (broker == null && brokerStart != null) {
      try {
        broker = brokerStart.join();
      } catch (CompletionException e) {
        // it did not start: nothing to stop
      }
    }
    if (broker != null) {
      broker.close();
      broker = null;
    }
    if (database == null && databaseStart != null) {
      try {
        database = databaseStart.join();
      } catch (CompletionException e) {
        // it did not start: nothing to stop
      }
    }
    if (database != null) {
      try {
        database.close();
      } catch (IOException e) {
        out.println("postgres did not stop cleanly: " + e.getMessage());
      }
      database = null;
    }
    if (folder != null) {
      try {
        folder.close();
      } catch (IOException e) {
        out.println("could not remove " + folder.dir().resolve(StackInfo.FILE) + ": " + e.getMessage());
      }
      folder = null;
    }
  }

  private static <T> T unchecked(StartupPhases.Phase<T> supplier) {
    try {
      return supplier.run();
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws IOException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
