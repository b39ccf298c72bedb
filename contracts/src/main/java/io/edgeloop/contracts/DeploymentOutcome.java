package io.edgeloop.contracts;

/** The announced outcome of a rollout to one target; {@code rejected}: the image failed verification and nothing ran. */
public enum DeploymentOutcome implements WireValues.Wire {
  DEPLOYED, FAILED, ROLLED_BACK, PENDING, REJECTED
}
