package io.edgeloop.deploy.kubernetes;

import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.StackId;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Deployment and Service for one model. The Deployment rolls pods one at a time with no pod
 * taken away before its successor is ready (maxUnavailable 0, maxSurge 1); readiness is the
 * model server's {@code /v2/health/ready}, liveness {@code /v2/health/live}. Both objects and the
 * pods carry the stack's id ({@link StackId#LABEL}); the selector does not (it cannot change).
 */
public final class KubernetesManifests {
  public static final String ANNOTATION_VERSION = "edgeloop.io/model-version";
  public static final String ANNOTATION_DIGEST = "edgeloop.io/image-digest";
  public static final String ANNOTATION_MODEL = "edgeloop.io/model-name";
  public static final String ANNOTATION_IMAGE = "edgeloop.io/image-reference";

  private KubernetesManifests() {}

  /** A DNS-1123 name for the model's objects. */
  public static String name(String model) {
    String name = "edgeloop-" + model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    name = name.length() > 63 ? name.substring(0, 63) : name;
    return name.replaceAll("-+$", "");
  }

  public static Deployment deployment(Release release, KubernetesSettings settings, StackId stack) {
    String name = name(release.modelName());
    Map<String, String> selector = Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/managed-by", "edgeloop");
    Map<String, String> labels = labels(name, stack);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ANNOTATION_MODEL, release.modelName());
    annotations.put(ANNOTATION_VERSION, Integer.toString(release.modelVersion()));
    annotations.put(ANNOTATION_DIGEST, release.digest());
    annotations.put(ANNOTATION_IMAGE, release.imageReference());
    ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder();
    if (settings.memory() != null) {
      resources.addToLimits("memory", new Quantity(settings.memory()));
    }
    if (settings.cpu() != null) {
      resources.addToLimits("cpu", new Quantity(settings.cpu()));
    }
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(settings.namespace()).withLabels(labels)
            .withAnnotations(annotations).endMetadata()
        .withNewSpec()
            .withReplicas(settings.replicas())
            .withNewSelector().withMatchLabels(selector).endSelector()
            .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
            .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .addNewContainer()
                        .withName("model-server")
                        .withImage(release.pinnedImage())
                        .addNewEnv().withName("EDGELOOP_HOST").withValue("0.0.0.0").endEnv()
                        .addNewEnv().withName("EDGELOOP_PORT").withValue("8080").endEnv()
                        .addNewPort().withName("http").withContainerPort(8080).endPort()
                        .withNewReadinessProbe().withNewHttpGet().withPath("/v2/health/ready").withPort(new IntOrString("http"))
                            .endHttpGet().withPeriodSeconds(2).withFailureThreshold(3).endReadinessProbe()
                        .withNewLivenessProbe().withNewHttpGet().withPath("/v2/health/live").withPort(new IntOrString("http"))
                            .endHttpGet().withInitialDelaySeconds(10).withPeriodSeconds(10).endLivenessProbe()
                        .withResources(resources.build())
                    .endContainer()
                .endSpec()
            .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(Release release, KubernetesSettings settings, StackId stack) {
    String name = name(release.modelName());
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(settings.namespace()).withLabels(labels(name, stack)).endMetadata()
        .withNewSpec()
            .withType(settings.serviceType())
            .withSelector(Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/managed-by", "edgeloop"))
            .addNewPort().withName("http").withPort(8080).withTargetPort(new IntOrString("http")).endPort()
        .endSpec()
        .build();
  }

  private static Map<String, String> labels(String name, StackId stack) {
    return Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/managed-by", "edgeloop", StackId.LABEL, stack.value());
  }
}
