package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelPromoted;
import java.time.Instant;
import java.util.Optional;

/**
 * The champion of a model as deploy knows it, and the two kinds of fact that move it.
 *
 * <ul>
 *   <li>{@link ModelPromoted} (alias {@code champion}) is the registry's word: among such events the
 *       higher {@code sequence} wins, and it applies unless deploy already knows a later fact.
 *   <li>{@link ImagePushed#promoted()} is a snapshot of the registry taken when packaging started. It
 *       counts only for a version no ModelPromoted has spoken about yet (the ModelPromoted may still be
 *       on its way), and only when it is later than what deploy knows: facts are ordered by time
 *       ({@code pushedAt}, {@code changedAt}), never by version number, so a bogus high version
 *       cannot make later real versions look older.
 * </ul>
 *
 * Times an event claims are capped at the time it was received, so an event cannot claim to be
 * from the future and shadow what comes after it.
 *
 * @param version the champion version; null when the alias was removed
 * @param sequence the registry sequence of the last ModelPromoted applied; null before the first
 * @param asOf when the fact behind this state was true
 * @param fromPromotion true when a ModelPromoted set it, false when an ImagePushed did
 */
public record Champion(String model, Integer version, Long sequence, Instant asOf, boolean fromPromotion) {

  /** The state after {@code event}, or empty when it changes nothing (another alias, or an older fact). */
  public static Optional<Champion> afterPromotion(Optional<Champion> current, ModelPromoted event, Instant receivedAt) {
    if (!ModelPromoted.CHAMPION.equals(event.alias())) {
      return Optional.empty();
    }
    Instant asOf = min(event.changedAt(), receivedAt);
    if (current.isPresent()) {
      Champion known = current.get();
      if (known.sequence() != null && event.sequence() <= known.sequence()) {
        return Optional.empty();
      }
      if (!known.fromPromotion() && asOf.isBefore(known.asOf())) {
        return Optional.empty(); // an image pushed later already said who is champion
      }
    }
    Integer version = event.promotesChampion() ? Integer.valueOf(event.modelVersion()) : null;
    return Optional.of(new Champion(event.modelName(), version, event.sequence(), asOf, true));
  }

  /**
   * The state after {@code image}, or empty when its {@code promoted} flag decides nothing.
   *
   * @param versionPromotedBefore whether a ModelPromoted already spoke about this version
   */
  public static Optional<Champion> afterPush(Optional<Champion> current, ImagePushed image, boolean versionPromotedBefore,
      Instant receivedAt) {
    if (!image.promoted() || versionPromotedBefore) {
      return Optional.empty();
    }
    Instant asOf = min(image.pushedAt(), receivedAt);
    if (current.isPresent() && !asOf.isAfter(current.get().asOf())) {
      return Optional.empty();
    }
    Long sequence = current.map(Champion::sequence).orElse(null);
    return Optional.of(new Champion(image.modelName(), image.modelVersion(), sequence, asOf, false));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
