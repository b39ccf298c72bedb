package io.edgeloop.deploy.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where one deployment to one target stands. Final states: deployed, failed, rolled_back, canceled,
 * rejected. {@code rolled_back}: the new version failed its checks and the previous one kept serving;
 * {@code failed}: it failed and there was nothing to fall back to; {@code rejected}: the image did not
 * pass admission (untrusted registry or repository, not by digest, ...) and nothing ran.
 */
public enum DeploymentStatus {
  AWAITING_APPROVAL, QUEUED, PENDING, RUNNING, DEPLOYED, FAILED, ROLLED_BACK, CANCELED, REJECTED;

  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static DeploymentStatus of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public boolean isFinal() {
    return this == DEPLOYED || this == FAILED || this == ROLLED_BACK || this == CANCELED || this == REJECTED;
  }

  /** The states announced with a ModelDeployed event (they are the event's status values). */
  public boolean isAnnounced() {
    return this == DEPLOYED || this == FAILED || this == ROLLED_BACK || this == PENDING || this == REJECTED;
  }
}
