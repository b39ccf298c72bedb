package io.edgeloop.contracts;

/** What happened to a model alias. */
public enum AliasChange implements WireValues.Wire {
  ASSIGNED, REMOVED
}
