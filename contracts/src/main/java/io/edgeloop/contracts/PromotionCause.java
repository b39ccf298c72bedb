package io.edgeloop.contracts;

/** Who changed a model alias: the champion gate after a run, or a person through the API. */
public enum PromotionCause implements WireValues.Wire {
  GATE, MANUAL
}
