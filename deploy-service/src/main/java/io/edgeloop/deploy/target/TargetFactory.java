package io.edgeloop.deploy.target;

/** Builds targets of one kind from their configuration. */
public interface TargetFactory {
  /** The {@code kind} value this factory handles. */
  String kind();

  /** @throws IllegalArgumentException when the connection settings are invalid */
  DeploymentTarget create(TargetSpec spec);
}
