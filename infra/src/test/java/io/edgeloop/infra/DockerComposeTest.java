package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.infra.queries.QueryCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The structure of docker-compose.yml (the compose tool's own check is {@link DockerComposeConfigIT}). */
@SuppressWarnings("unchecked")
class DockerComposeTest {
  private static final Map<String, Integer> SERVICES =
      Map.of("ingest-service", 8081, "training-service", 8082, "packaging-service", 8083, "deploy-service", 8084);

  private final Map<String, Object> compose = QueryCatalog.readYaml(InfraFiles.dir().resolve("docker-compose.yml"));
  private final Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

  @Test
  void runsTheInfrastructureAndTheFourServices() {
    assertThat(services).containsKeys("kafka", "azurite", "postgres", "registry", "prometheus", "grafana");
    assertThat(services).containsKeys(SERVICES.keySet().toArray(String[]::new));
    Map<String, Object> kafka = env("kafka");
    assertThat(withDefaults((String) services.get("kafka").get("image"))).startsWith("apache/kafka:");
    assertThat(String.valueOf(kafka.get("KAFKA_PROCESS_ROLES"))).contains("controller").contains("broker");
  }

  @Test
  void eachServiceIsBuiltFromItsExecJarAndConfiguredByEnvironment() throws IOException {
    for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
      String name = service.getKey();
      Map<String, Object> build = (Map<String, Object>) services.get(name).get("build");
      Path context = InfraFiles.dir().resolve(String.valueOf(build.get("context"))).normalize();
      assertThat(context.resolve("pom.xml")).as(name + " build context").isRegularFile();
      assertThat(Files.readString(context.resolve("pom.xml"))).as(name + " makes an exec jar").contains("<classifier>exec</classifier>");
      assertThat(context.resolve(String.valueOf(build.get("dockerfile")))).isRegularFile();
      assertThat((Map<String, Object>) build.get("args")).containsEntry("SERVICE", name);
      assertThat(env(name)).containsEntry("EDGELOOP_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
          .containsKeys("EDGELOOP_STORAGE_URI", "EDGELOOP_STORAGE_AZURE_CONNECTION_STRING");
      assertThat(((List<String>) services.get(name).get("ports")).stream().map(DockerComposeTest::withDefaults))
          .contains("127.0.0.1:" + service.getValue() + ":" + service.getValue());
    }
    for (String stateful : SERVICES.keySet()) { // every service keeps state (ingest and packaging: outbox, builds)
      assertThat(env(stateful)).containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
      assertThat(String.valueOf(env(stateful).get("SPRING_DATASOURCE_URL"))).startsWith("jdbc:postgresql://postgres:5432/");
    }
    assertThat(env("packaging-service")).containsKey("EDGELOOP_PACKAGING_REGISTRY");
    // one token store, so a token issued by one service works on every one
    assertThat(SERVICES.keySet()).allSatisfy(name -> assertThat(env(name))
        .containsEntry("EDGELOOP_SECURITY_TOKENSTORE_URL", "jdbc:postgresql://postgres:5432/edgeloop")
        .containsEntry("EDGELOOP_SECURITY_BOOTSTRAPTOKENFILE", "/run/secrets/admin_token"));
  }

  @Test
  void theServicePortsMatchTheServicesOwnConfiguration() throws IOException {
    for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
      Path config = InfraFiles.dir().resolveSibling(service.getKey()).resolve("src/main/resources/" + service.getKey() + ".yml");
      Map<String, Object> server = (Map<String, Object>) QueryCatalog.readYaml(config).get("server");
      assertThat(server.get("port")).as(config.toString()).isEqualTo(service.getValue());
    }
  }

  @Test
  void publishesOnLoopbackOnlyAndMountsFilesThatExist() {
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      for (String port : (List<String>) service.getValue().getOrDefault("ports", List.of())) {
        assertThat(withDefaults(port)).as(service.getKey()).startsWith("127.0.0.1:");
      }
      for (String volume : (List<String>) service.getValue().getOrDefault("volumes", List.of())) {
        String source = volume.split(":")[0];
        if (source.startsWith(".")) {
          assertThat(InfraFiles.dir().resolve(source)).as(service.getKey() + " mounts " + source).exists();
        }
      }
    }
  }

  @Test
  void prometheusInComposeScrapesTheComposeServiceNames() {
    assertThat((List<String>) services.get("prometheus").get("volumes")).contains("./prometheus/targets-compose:/etc/prometheus/targets:ro");
    List<Map<String, Object>> targets = (List<Map<String, Object>>) (Object) new org.yaml.snakeyaml.Yaml().load(
        readString(InfraFiles.prometheusDir().resolve("targets-compose/services.yml")));
    assertThat(targets).extracting(t -> ((List<String>) t.get("targets")).get(0))
        .containsExactlyInAnyOrderElementsOf(SERVICES.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList());
    assertThat(String.valueOf(env("grafana").get("PROMETHEUS_URL"))).isEqualTo("http://prometheus:9090");
  }

  /**
   * The value as compose reads it with none of its variables set: {@code ${NAME:-default}} becomes
   * {@code default} (the file takes its images, host addresses and ports from such variables, with the
   * public images and loopback as the defaults).
   */
  static String withDefaults(String value) {
    return value.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)}", "$1");
  }

  @Test
  void variablesDefaultToThePublicImagesAndLoopback() {
    assertThat(withDefaults((String) services.get("registry").get("image"))).isEqualTo("registry:2.8.3");
    assertThat(withDefaults((String) services.get("postgres").get("image"))).isEqualTo("postgres:17");
    assertThat(withDefaults(((List<String>) services.get("registry").get("ports")).get(0))).isEqualTo("127.0.0.1:5000:5000");
    assertThat(withDefaults(((List<String>) services.get("deploy-service").get("ports")).get(1))).isEqualTo("127.0.0.1:9000:9000");
    for (String name : SERVICES.keySet()) {
      Map<String, Object> build = (Map<String, Object>) services.get(name).get("build");
      // packaging jlinks the model servers' runtime, which needs a JDK's jmods
      assertThat(withDefaults(String.valueOf(((Map<String, Object>) build.get("args")).get("BASE_IMAGE"))))
          .isEqualTo(name.equals("packaging-service") ? "eclipse-temurin:17-jdk" : "eclipse-temurin:17-jre");
    }
    // one signing key pair for every packaging replica, trusted by deploy
    assertThat(env("packaging-service")).containsEntry("EDGELOOP_PACKAGING_SIGNING_PRIVATEKEYFILE", "/run/secrets/signing_key")
        .containsEntry("EDGELOOP_PACKAGING_SIGNING_PUBLICKEYFILE", "/run/secrets/signing_pub");
    assertThat(env("deploy-service")).containsEntry("EDGELOOP_DEPLOY_TRUST_SIGNINGKEYS", "/run/secrets/signing_pub")
        .containsEntry("EDGELOOP_DEPLOY_TRUST_REGISTRIES", env("packaging-service").get("EDGELOOP_PACKAGING_REGISTRY"));
  }

  private Map<String, Object> env(String service) {
    return (Map<String, Object>) services.get(service).get("environment");
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
