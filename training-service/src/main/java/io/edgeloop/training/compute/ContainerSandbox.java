package io.edgeloop.training.compute;

import java.util.Objects;

/**
 * How a run's container is confined on a {@code docker} target: the user it runs as ({@code uid[:gid]};
 * null = the service's own user, or 65534:65534 when the service is root), its memory (swap included),
 * CPUs and process limits, its network ({@code none} = no network) and the size of its writable
 * {@code /tmp}. The rest is fixed: every capability dropped, no new privileges, a read-only root file
 * system.
 */
public record ContainerSandbox(String user, long memoryBytes, double cpus, long pidsLimit, String network, long tmpBytes) {
  /** The user when the service runs as root: nobody. */
  static final String NOBODY = "65534:65534";

  public ContainerSandbox {
    if (user != null && (!user.matches("\\d+(:\\d+)?") || Long.parseLong(user.split(":", 2)[0]) == 0)) {
      throw new IllegalArgumentException("a run's container needs a numeric uid[:gid] other than root (0), not '" + user + "'");
    }
    if (memoryBytes <= 0 || cpus <= 0 || pidsLimit <= 0 || tmpBytes <= 0) {
      throw new IllegalArgumentException("memory, cpus, pids-limit and tmp-size of a docker target must be positive");
    }
    Objects.requireNonNull(network, "network");
  }
}
