package io.edgeloop.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One-command mode: a real Kafka broker (KRaft, in-process) unless an external one is given, then
 * the four services, each its own Spring context with its own configuration file, on the same
 * configuration keys as when they run separately.
 */
public final class Stack implements AutoCloseable {
  private final StackSettings settings;
  private final PrintStream out;
  private EmbeddedKafkaKraftBroker broker;
  private String bootstrapServers;
  private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();

  private Stack(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public static Stack start(StackSettings settings, PrintStream out) throws IOException {
    Stack stack = new Stack(settings, out);
    try {
      stack.startKafka();
      stack.startServices();
      return stack;
    } catch (RuntimeException | IOException e) {
      stack.close();
      throw e;
    }
  }

  private void startKafka() {
    if (settings.externalKafka() != null && !settings.externalKafka().isBlank()) {
      bootstrapServers = settings.externalKafka();
      out.println("kafka      " + bootstrapServers + " (external)");
      return;
    }
    broker = new EmbeddedKafkaKraftBroker(1, 1);
    if (settings.kafkaPort() > 0) {
      broker.kafkaPorts(settings.kafkaPort());
    }
    broker.brokerProperty("auto.create.topics.enable", "true");
    broker.brokerProperty("num.partitions", "4");
    broker.afterPropertiesSet();
    bootstrapServers = broker.getBrokersAsString();
    out.println("kafka      " + bootstrapServers + " (embedded KRaft broker)");
  }

  private void startServices() throws IOException {
    Files.createDirectories(settings.dataDir());
    int offset = 1;
    for (ServiceDefinition service : ServiceDefinition.all()) {
      int port = settings.portBase() > 0 ? settings.portBase() + offset : service.defaultPort();
      offset++;
      Map<String, Object> properties = new HashMap<>(service.sharedJvmProperties());
      properties.put("spring.config.name", service.name());
      properties.put("edgeloop.kafka.bootstrap-servers", bootstrapServers);
      properties.put("edgeloop.data-dir", settings.dataDir().toAbsolutePath().toString());
      properties.put("server.port", String.valueOf(port));
      properties.put("server.address", "127.0.0.1");
      properties.put("spring.main.banner-mode", "off");
      properties.put("logging.threshold.console", settings.consoleLogLevel());
      properties.put("logging.level.org.apache.kafka", "WARN");
      properties.put("logging.level.kafka", "WARN");
      properties.put("logging.level.state.change.logger", "WARN");
      properties.put("logging.level.org.apache.zookeeper", "WARN");
      // Logging is one system per JVM: all four services write to one file, and the application
      // name in each line would be whichever service started first, so it is left out.
      properties.put("logging.file.name", settings.dataDir().resolve("logs").resolve("edgeloop.log").toAbsolutePath().toString());
      properties.put("logging.include-application-name", "false");
      properties.putAll(settings.properties());
      SpringApplication app = new SpringApplication(service.applicationClass());
      // The launcher owns shutdown order (services first, then the broker), so no per-context hooks.
      app.setRegisterShutdownHook(false);
      app.setDefaultProperties(properties);
      long started = System.nanoTime();
      services.put(service.name(), app.run(commandLineArguments(properties)));
      ports.put(service.name(), port);
      out.printf("%-18s http://127.0.0.1:%d  (started in %.1f s)%n", service.name(), port, (System.nanoTime() - started) / 1e9);
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

  /** Waits until every service's {@code /actuator/health} says UP. */
  public void awaitHealthy(Duration timeout) throws InterruptedException {
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
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.getValue() + "/actuator/health")).build(),
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

  @Override
  public void close() {
    List<String> names = new ArrayList<>(services.keySet());
    java.util.Collections.reverse(names);
    for (String name : names) {
      try {
        services.remove(name).close();
      } catch (RuntimeException e) {
        out.println(name + " did not stop cleanly: " + e);
      }
    }
    if (broker != null) {
      broker.destroy();
      broker = null;
    }
  }
}
