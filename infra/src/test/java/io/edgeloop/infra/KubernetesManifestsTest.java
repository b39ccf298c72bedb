package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Kubernetes manifests: one Deployment and Service per service, probes, scrape annotations, shared ConfigMap. */
@SuppressWarnings("unchecked")
class KubernetesManifestsTest {
  private static final Map<String, Integer> SERVICES =
      Map.of("ingest-service", 8081, "training-service", 8082, "packaging-service", 8083, "deploy-service", 8084);
  private static final Path DIR = InfraFiles.dir().resolve("kubernetes");

  private final List<Map<String, Object>> resources = readAll();

  @Test
  void everyResourceHasApiVersionKindAndName() {
    assertThat(resources).isNotEmpty().allSatisfy(r -> {
      assertThat(r).containsKeys("apiVersion", "kind");
      if (!"Kustomization".equals(r.get("kind"))) {
        assertThat(metadata(r)).containsKey("name");
      }
    });
  }

  @Test
  void eachServiceHasADeploymentWithProbesAndScrapeAnnotations() {
    Map<String, Object> config = find("ConfigMap", "edgeloop-config").orElseThrow();
    assertThat((Map<String, Object>) config.get("data")).containsKeys("EDGELOOP_KAFKA_BOOTSTRAP_SERVERS", "EDGELOOP_STORAGE_URI", "EDGELOOP_PACKAGING_REGISTRY");
    for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
      String name = service.getKey();
      Map<String, Object> deployment = find("Deployment", name).orElseThrow(() -> new AssertionError("no Deployment " + name));
      Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
      Map<String, Object> template = (Map<String, Object>) spec.get("template");
      Map<String, Object> podLabels = (Map<String, Object>) metadata(template).get("labels");
      assertThat(podLabels).containsAllEntriesOf((Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels"));

      assertThat((Map<String, Object>) metadata(template).get("annotations")).as(name)
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", String.valueOf(service.getValue()))
          .containsEntry("prometheus.io/path", "/actuator/prometheus");

      Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
      assertThat((List<Map<String, Object>>) container.get("ports")).extracting(p -> p.get("containerPort")).containsExactly(service.getValue());
      assertThat(probePath(container, "readinessProbe")).as(name).isEqualTo("/actuator/health/readiness");
      assertThat(probePath(container, "livenessProbe")).as(name).isEqualTo("/actuator/health/liveness");
      assertThat((List<Map<String, Object>>) container.get("envFrom")).extracting(e -> ((Map<String, Object>) e.get("configMapRef")).get("name"))
          .contains("edgeloop-config");

      Map<String, Object> svc = find("Service", name).orElseThrow(() -> new AssertionError("no Service " + name));
      Map<String, Object> svcSpec = (Map<String, Object>) svc.get("spec");
      assertThat(podLabels).containsAllEntriesOf((Map<String, Object>) svcSpec.get("selector"));
      assertThat((List<Map<String, Object>>) svcSpec.get("ports")).extracting(p -> p.get("port")).containsExactly(service.getValue());
    }
  }

  @Test
  void everyServiceGetsItsDatabaseAndTheSharedTokenStoreWithPasswordsFromTheSecret() {
    Map<String, Object> config = (Map<String, Object>) find("ConfigMap", "edgeloop-config").orElseThrow().get("data");
    assertThat(config).containsEntry("EDGELOOP_SECURITY_TOKENSTORE_URL", "jdbc:postgresql://postgres.edgeloop.svc:5432/edgeloop")
        .containsEntry("EDGELOOP_SECURITY_BOOTSTRAPTOKENFILE", "/run/secrets/edgeloop/admin.token");
    for (String name : SERVICES.keySet()) {
      Map<String, Object> container = container(find("Deployment", name).orElseThrow());
      List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
      assertThat(env).as(name).extracting(e -> e.get("name"))
          .contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD", "EDGELOOP_SECURITY_TOKENSTORE_PASSWORD");
      assertThat(env).as(name).filteredOn(e -> "SPRING_DATASOURCE_URL".equals(e.get("name")))
          .extracting(e -> e.get("value")).containsExactly("jdbc:postgresql://postgres.edgeloop.svc:5432/" + name.replace("-service", ""));
      assertThat(env).as(name).filteredOn(e -> String.valueOf(e.get("name")).endsWith("PASSWORD"))
          .allSatisfy(e -> assertThat(e).containsKey("valueFrom").doesNotContainKey("value"));
    }
  }

  /** The bootstrap admin token comes from a Secret mounted as a file where the ConfigMap says, readable by the pod's group only. */
  @Test
  void everyServiceMountsTheBootstrapAdminTokenFromASecret() {
    for (String name : SERVICES.keySet()) {
      Map<String, Object> deployment = find("Deployment", name).orElseThrow();
      Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template")).get("spec");
      List<Map<String, Object>> mounts = (List<Map<String, Object>>) container(deployment).get("volumeMounts");
      Map<String, Object> mount = mounts.stream().filter(m -> "/run/secrets/edgeloop".equals(m.get("mountPath"))).findFirst()
          .orElseThrow(() -> new AssertionError(name + " does not mount the admin token"));
      assertThat(mount).containsEntry("readOnly", true);
      Map<String, Object> volume = ((List<Map<String, Object>>) podSpec.get("volumes")).stream().filter(v -> mount.get("name").equals(v.get("name")))
          .findFirst().orElseThrow();
      assertThat((Map<String, Object>) volume.get("secret")).as(name).containsEntry("secretName", "edgeloop-admin-token")
          .containsEntry("defaultMode", 0440).doesNotContainKey("optional");
    }
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Map<String, Object> kustomization = resources.stream().filter(r -> "Kustomization".equals(r.get("kind"))).findFirst().orElseThrow();
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> manifests = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yml") && !f.startsWith("kustomization")).toList();
      assertThat((List<String>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(manifests);
    }
  }

  private static String probePath(Map<String, Object> container, String probe) {
    Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
    assertThat(httpGet.get("port")).isEqualTo("http");
    return String.valueOf(httpGet.get("path"));
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
    return ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
  }

  private static Map<String, Object> metadata(Map<String, Object> resource) {
    return (Map<String, Object>) resource.getOrDefault("metadata", Map.of());
  }

  private Optional<Map<String, Object>> find(String kind, String name) {
    return resources.stream().filter(r -> kind.equals(r.get("kind")) && name.equals(metadata(r).get("name"))).findFirst();
  }

  private static List<Map<String, Object>> readAll() {
    List<Map<String, Object>> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
            if (document != null) {
              all.add((Map<String, Object>) document);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }
}
