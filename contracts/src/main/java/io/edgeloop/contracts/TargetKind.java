package io.edgeloop.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kind of an edge deployment target; {@code in-process} is the demo's fallback without Docker. */
public enum TargetKind implements WireValues.Wire {
  DOCKER, IOTEDGE, KUBERNETES, IN_PROCESS;

  @JsonValue
  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
