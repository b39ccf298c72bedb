package io.edgeloop.deploy.kubernetes;

import io.edgeloop.deploy.target.TargetSpec;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;

/**
 * A kubernetes target's connection settings.
 *
 * @param kubeconfig path of the kubeconfig file (key {@code kubeconfig}; default: fabric8's usual
 *     discovery - {@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account)
 * @param context kubeconfig context (key {@code context}; default the current one)
 * @param namespace where the model runs (key {@code namespace}; default {@code default})
 * @param replicas pods per model (key {@code replicas}; default 1)
 * @param serviceType Service type (key {@code service-type}; default ClusterIP)
 * @param memory container memory limit, Kubernetes quantity (key {@code memory}, e.g. {@code 512Mi})
 * @param cpu container CPU limit (key {@code cpu}, e.g. {@code 1})
 * @param readyTimeout how long the new pods may take to become ready before the previous
 *     Deployment spec is put back (key {@code ready-timeout}; default 120s)
 */
public record KubernetesSettings(
    String kubeconfig, String context, String namespace, int replicas, String serviceType, String memory, String cpu,
    Duration readyTimeout) {

  public static KubernetesSettings of(TargetSpec spec) {
    Map<String, String> c = spec.connection();
    return new KubernetesSettings(c.get("kubeconfig"), c.get("context"), c.getOrDefault("namespace", "default"),
        Integer.parseInt(c.getOrDefault("replicas", "1")), c.getOrDefault("service-type", "ClusterIP"),
        c.get("memory"), c.get("cpu"), DurationStyle.detectAndParse(c.getOrDefault("ready-timeout", "120s")));
  }
}
