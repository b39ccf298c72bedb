package io.edgeloop.contracts;

/** Why a run was asked for. */
public enum RunTrigger implements WireValues.Wire {
  DATA, MANUAL, SCHEDULE, EXTERNAL
}
