package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.docker.DockerSettings;
import io.edgeloop.deploy.docker.DockerTargetFactory;
import io.edgeloop.deploy.iotedge.IotEdgeTargetFactory;
import io.edgeloop.deploy.kubernetes.KubernetesTargetFactory;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetRegistry;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.trust.ImageAdmission;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.messaging.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires targets, the rollout service and its runner from {@code edgeloop.deploy.*} (admission: {@code trust.TrustConfiguration}). */
@Configuration
@EnableConfigurationProperties(DeployProperties.class)
public class DeployConfiguration {
  private static final Logger log = LoggerFactory.getLogger(DeployConfiguration.class);

  /** The stack this service belongs to: {@code edgeloop.stack-id} (the launcher's), else {@code <data-dir>/stack.id}. */
  @Bean
  StackId stackId(@Value("${edgeloop.stack-id:}") String configured, @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir) {
    StackId stack = StackId.resolve(configured, dataDir);
    log.info("stack {}: this service adopts and removes only workloads labelled {}={}", stack, StackId.LABEL, stack);
    return stack;
  }

  @Bean
  DockerTargetFactory dockerTargetFactory(StackId stack) {
    return new DockerTargetFactory(stack);
  }

  @Bean
  KubernetesTargetFactory kubernetesTargetFactory(StackId stack) {
    return new KubernetesTargetFactory(stack);
  }

  @Bean
  IotEdgeTargetFactory iotEdgeTargetFactory(StackId stack) {
    return new IotEdgeTargetFactory(stack);
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
  DeploymentEvents deploymentEvents(DeploymentRepository deployments, Outbox outbox) {
    return new DeploymentEvents(deployments, outbox);
  }

  @Bean
  RolloutService rolloutService(TransactionTemplate tx, ProcessedEvents processed, DeploymentRepository deployments,
      ModelImageRepository images, ChampionRepository champions, TargetRegistry targets, DeployProperties properties,
      ImageAdmission admission, DeploymentEvents events, DeployMetrics metrics, ObjectProvider<RolloutRunner> runner) {
    return new RolloutService(tx, processed, deployments, images, champions, targets, properties.policy(), admission,
        events, metrics, () -> runner.ifAvailable(RolloutRunner::wakeUp));
  }

  @Bean
  RolloutRunner rolloutRunner(DeploymentRepository deployments, TargetRegistry targets, TransactionTemplate tx,
      DeploymentEvents events, DeployMetrics metrics, PollLoops loops, DeployProperties properties) {
    return new RolloutRunner(deployments, targets, tx, events, metrics, loops, properties);
  }
}
