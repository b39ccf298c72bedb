package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.ModelDeployed;

/** Where ModelDeployed events go (the Kafka publisher in the service). */
@FunctionalInterface
public interface Announcer {
  /** Sends the event; returns only once it is sent, throws when it could not be. */
  void announce(ModelDeployed event);
}
