package io.edgeloop.contracts;

/** Where a run stood when it failed. */
public enum RunPhase implements WireValues.Wire {
  QUEUED, PREPARING, RUNNING, EXPORTING, REGISTERING
}
