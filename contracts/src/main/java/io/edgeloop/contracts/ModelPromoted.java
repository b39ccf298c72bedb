package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * A model alias changed: {@code alias} (e.g. {@code champion}) now points at {@code modelVersion}
 * ({@code change = assigned}) or at nothing ({@code removed}; {@code modelVersion} is the version
 * it left). {@code cause} says whether the champion gate or a person did it; {@code sequence} is
 * the registry's id of this change, increasing per registry, so a consumer can tell the newest.
 */
public record ModelPromoted(
    String modelName,
    String alias,
    int modelVersion,
    Integer previousVersion,
    AliasChange change,
    PromotionCause cause,
    long sequence,
    Instant changedAt)
    implements EdgeloopEvent {

  /** The alias the champion gate and the deploy policy use. */
  public static final String CHAMPION = "champion";

  public ModelPromoted {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(alias, "alias");
    if (modelVersion < 1) {
      throw new IllegalArgumentException("model version must be >= 1, got " + modelVersion);
    }
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  /** True when this change makes {@code modelVersion} the champion. */
  public boolean promotesChampion() {
    return CHAMPION.equals(alias) && change == AliasChange.ASSIGNED;
  }

  @Override
  public String partitionKey() {
    return modelName;
  }

  @Override
  public String naturalKey() {
    return modelName + "/" + alias + "/" + sequence;
  }
}
