package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.target.TargetSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The deploy-service's settings ({@code edgeloop.deploy.*}).
 *
 * @param targets the deployment targets (name, kind, labels, connection)
 * @param localTarget the default docker target for one-command mode
 * @param policy which versions go where
 * @param retry backoff for targets that cannot be reached
 * @param tick how often the runner looks for due rollouts when it found none (default 500ms)
 * @param probeInterval how often targets are probed for the up/down metric, and re-read for what
 *     they serve (another instance may have changed it; default 10s)
 * @param instanceId this instance's name as owner of the rollouts it runs; must be unique among
 *     live instances sharing the database (default: host name + random suffix). A stable id (a pod
 *     name) lets a restarted instance take back its own interrupted rollouts at once instead of
 *     waiting for their lease to expire
 * @param lease how long a running rollout stays owned by its instance without a heartbeat (default
 *     30s); the owner renews it every third of it, and other instances take over rollouts whose
 *     lease expired
 */
@ConfigurationProperties("edgeloop.deploy")
public record DeployProperties(
    List<TargetSpec> targets, LocalTarget localTarget, Policy policy, Retry retry, Duration tick, Duration probeInterval,
    String instanceId, Duration lease) {

  public DeployProperties {
    targets = targets == null ? List.of() : List.copyOf(targets);
    localTarget = localTarget == null ? new LocalTarget(null, null, null, null) : localTarget;
    policy = policy == null ? new Policy(null, null, null, null) : policy;
    retry = retry == null ? new Retry(null, null) : retry;
    tick = tick == null ? Duration.ofMillis(500) : tick;
    probeInterval = probeInterval == null ? Duration.ofSeconds(10) : probeInterval;
    instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId;
    lease = lease == null ? Duration.ofSeconds(30) : lease;
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "deploy";
    }
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A docker target on the local engine, added when no target of that name is configured and the
   * engine answers at start; without an engine the service starts anyway and says so.
   *
   * @param enabled add it (default true)
   * @param name its name (default {@code edge-local})
   * @param host the engine (default {@code unix:///var/run/docker.sock})
   * @param port its stable inference port on 127.0.0.1 (default 9000)
   */
  public record LocalTarget(Boolean enabled, String name, String host, Integer port) {
    public LocalTarget {
      enabled = enabled == null || enabled;
      name = name == null ? "edge-local" : name;
      host = host == null ? "unix:///var/run/docker.sock" : host;
      port = port == null ? 9000 : port;
    }
  }

  /**
   * Which model versions go to which targets.
   *
   * @param requireApproval new deployments wait for {@code POST /api/deployments/{id}/approve} (default false)
   * @param staged with several targets, deploy to one first and to the rest only once it is healthy
   *     (default true); the first is a target labelled {@code canary: "true"}, else the first by name
   * @param deployUnpromoted deploy every admitted image as it is pushed, champion or not (default
   *     false: only the champion, see {@link Champion}); a pushed version older than one already
   *     deployed or on its way to a target is then skipped there
   * @param rules the first rule matching the model and the target decides; no rules = every model to
   *     every target
   */
  public record Policy(Boolean requireApproval, Boolean staged, Boolean deployUnpromoted, List<Rule> rules) {
    public Policy {
      requireApproval = requireApproval != null && requireApproval;
      staged = staged == null || staged;
      deployUnpromoted = deployUnpromoted != null && deployUnpromoted;
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /**
   * @param models model name glob ({@code *} = any; default any)
   * @param targets label selector: every entry must be among a target's labels (default: all targets)
   * @param requireApproval overrides the policy's default for this rule
   * @param deploy false excludes the matched targets (default true)
   */
  public record Rule(String models, Map<String, String> targets, Boolean requireApproval, Boolean deploy) {
    public Rule {
      models = models == null ? "*" : models;
      targets = targets == null ? Map.of() : Map.copyOf(targets);
      deploy = deploy == null || deploy;
    }

    boolean matchesModel(String model) {
      return io.edgeloop.deploy.trust.Glob.matches(models, model);
    }
  }

  /**
   * @param initial first retry delay for an unreachable target (default 2s)
   * @param max upper bound of the doubling delay (default 60s)
   */
  public record Retry(Duration initial, Duration max) {
    public Retry {
      initial = initial == null ? Duration.ofSeconds(2) : initial;
      max = max == null ? Duration.ofSeconds(60) : max;
    }

    /** Delay before attempt {@code attempts + 1}: doubling from {@code initial}, capped at {@code max}. */
    public Duration after(int attempts) {
      long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
      Duration delay = initial.multipliedBy(factor);
      return delay.compareTo(max) > 0 ? max : delay;
    }
  }
}
