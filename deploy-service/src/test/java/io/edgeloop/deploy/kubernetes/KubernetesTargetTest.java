package io.edgeloop.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.TargetSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes target against fabric8's mock API server (CRUD mode: it stores and serves objects
 * but runs no controllers, so the test plays the Deployment controller and marks pods ready).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesTargetTest {
  static final Release V1 = new Release("turbofan-rul", 1, "registry.example/edgeloop/turbofan-rul:1", "sha256:" + "1".repeat(64));
  static final Release V2 = new Release("turbofan-rul", 2, "registry.example/edgeloop/turbofan-rul:2", "sha256:" + "2".repeat(64));

  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void shouldApplyDeploymentAndServiceWithReadinessOnTheModelServerAndReportWhatRuns() throws Exception {
    DeploymentTarget target = targetFromKubeconfig("10s");

    try (Controller controller = new Controller(client, true)) {
      target.deploy(V1);
    }

    Deployment deployment = client.apps().deployments().inNamespace("models").withName("edgeloop-turbofan-rul").get();
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/edgeloop/turbofan-rul@" + V1.digest());
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    Service service = client.services().inNamespace("models").withName("edgeloop-turbofan-rul").get();
    assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("io.edgeloop.stack", "k8s-test");
    assertThat(deployment.getMetadata().getLabels()).containsEntry("io.edgeloop.stack", "k8s-test");
    assertThat(target.reachable()).isTrue();
    assertThat(target.running()).contains(V1);
  }

  @Test
  void shouldPutThePreviousSpecBackWhenTheNewPodsDoNotGetReady() throws Exception {
    DeploymentTarget target = targetFromKubeconfig("2s");
    try (Controller controller = new Controller(client, true)) {
      target.deploy(V1);
    }

    try (Controller controller = new Controller(client, false)) {
      assertThatThrownBy(() -> target.deploy(V2))
          .isInstanceOf(RolloutFailedException.class).hasMessageContaining("previous Deployment spec restored");
    }

    Deployment deployment = client.apps().deployments().inNamespace("models").withName("edgeloop-turbofan-rul").get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(V1.digest());
    assertThat(target.running()).contains(V1);
  }

  private DeploymentTarget targetFromKubeconfig(String readyTimeout) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: test
          user: {token: not-a-secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: models}
        current-context: mock
        """.formatted(client.getConfiguration().getMasterUrl()));
    return new KubernetesTargetFactory(new io.edgeloop.deploy.target.StackId("k8s-test")).create(new TargetSpec("cluster-1", "kubernetes", Map.of(), Map.of(
        "kubeconfig", kubeconfig.toString(), "namespace", "models", "memory", "512Mi", "ready-timeout", readyTimeout)));
  }

  /** Plays the Deployment controller: reports every new generation ready, or never. */
  static final class Controller implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Controller(KubernetesClient client, boolean ready) {
      thread = new Thread(() -> {
        while (running.get()) {
          Deployment d = client.apps().deployments().inNamespace("models").withName("edgeloop-turbofan-rul").get();
          if (ready && d != null && (d.getStatus() == null || d.getStatus().getReadyReplicas() == null)) {
            d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withObservedGeneration(d.getMetadata().getGeneration()).build());
            client.resource(d).inNamespace("models").updateStatus();
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }
}
