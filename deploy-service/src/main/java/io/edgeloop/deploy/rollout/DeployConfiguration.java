package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.docker.DockerSettings;
import io.edgeloop.deploy.docker.DockerTargetFactory;
import io.edgeloop.deploy.iotedge.IotEdgeTargetFactory;
import io.edgeloop.deploy.kubernetes.KubernetesTargetFactory;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetRegistry;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires targets, policy, the rollout service and its worker from {@code edgeloop.deploy.*}. */
@Configuration
@EnableConfigurationProperties(DeployProperties.class)
public class DeployConfiguration {
  private static final Logger log = LoggerFactory.getLogger(DeployConfiguration.class);

  @Bean
  DockerTargetFactory dockerTargetFactory() {
    return new DockerTargetFactory();
  }

  @Bean
  KubernetesTargetFactory kubernetesTargetFactory() {
    return new KubernetesTargetFactory();
  }

  @Bean
  IotEdgeTargetFactory iotEdgeTargetFactory() {
    return new IotEdgeTargetFactory();
  }

  @Bean(destroyMethod = "close")
  TargetRegistry targetRegistry(DeployProperties properties, List<TargetFactory> factories) {
    List<TargetSpec> specs = new ArrayList<>(properties.targets());
    localTarget(properties.localTarget(), specs).ifPresent(specs::add);
    return new TargetRegistry(specs, factories);
  }

  /** One-command mode: the local engine as target {@code edge-local}, when it answers. */
  static java.util.Optional<TargetSpec> localTarget(DeployProperties.LocalTarget local, List<TargetSpec> configured) {
    if (!local.enabled() || configured.stream().anyMatch(t -> t.name().equals(local.name()))) {
      return java.util.Optional.empty();
    }
    TargetSpec spec = new TargetSpec(local.name(), DockerTargetFactory.KIND, Map.of("default", "true"),
        Map.of("host", local.host(), "port", Integer.toString(local.port())));
    try (var client = DockerTargetFactory.client(DockerSettings.of(spec))) {
      client.pingCmd().exec();
      try (var probe = new java.net.ServerSocket(local.port(), 1, java.net.InetAddress.getLoopbackAddress())) {
        probe.setReuseAddress(true);
      } catch (java.io.IOException busy) {
        log.warn("port 127.0.0.1:{} is taken: no default target '{}' (set edgeloop.deploy.local-target.port)",
            local.port(), local.name());
        return java.util.Optional.empty();
      }
      log.info("default target {}: docker engine at {}, models served on 127.0.0.1:{}", local.name(), local.host(), local.port());
      return java.util.Optional.of(spec);
    } catch (Exception e) {
      log.warn("no docker engine answers at {} ({}): no default target '{}'; models are not deployed locally "
          + "(in one-command mode the launcher serves them in-process)", local.host(), e.getMessage(), local.name());
      return java.util.Optional.empty();
    }
  }

  @Bean
  DeployMetrics deployMetrics(MeterRegistry registry) {
    return new DeployMetrics(registry);
  }

  @Bean
  RolloutService rolloutService(DeploymentRepository deployments, ModelVersionRepository versions, TargetRegistry targets, DeployProperties properties,
      DeployMetrics metrics, EventPublisher publisher) {
    return new RolloutService(deployments, versions, targets, new RolloutPolicy(properties.policy()), properties.retry(), metrics,
        publisher::publish);
  }

  @Bean
  RolloutWorker rolloutWorker(RolloutService rollouts, DeployProperties properties) {
    return new RolloutWorker(rollouts, properties);
  }
}
