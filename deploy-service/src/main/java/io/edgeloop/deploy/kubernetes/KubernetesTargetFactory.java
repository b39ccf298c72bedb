package io.edgeloop.deploy.kubernetes;

import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds {@code kubernetes} targets with a fabric8 client from the configured kubeconfig. */
public class KubernetesTargetFactory implements TargetFactory {
  public static final String KIND = "kubernetes";
  private final StackId stack;

  public KubernetesTargetFactory(StackId stack) {
    this.stack = stack;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public DeploymentTarget create(TargetSpec spec) {
    KubernetesSettings settings = KubernetesSettings.of(spec);
    Config config;
    try {
      config = settings.kubeconfig() != null
          ? Config.fromKubeconfig(settings.context(), Files.readString(Path.of(settings.kubeconfig())), settings.kubeconfig())
          : Config.autoConfigure(settings.context());
    } catch (IOException e) {
      throw new UncheckedIOException("target " + spec.name() + ": cannot read kubeconfig " + settings.kubeconfig(), e);
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    return new KubernetesTarget(spec, stack, settings, client);
  }
}
