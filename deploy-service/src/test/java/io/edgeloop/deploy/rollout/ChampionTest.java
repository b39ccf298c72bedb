package io.edgeloop.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.PromotionCause;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which facts move the champion deploy follows, and which are too old to. */
class ChampionTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static ImagePushed pushed(int version, boolean promoted, Instant at) {
    return new ImagePushed("m", version, "127.0.0.1:5000/edgeloop/m:" + version, "sha256:" + "a".repeat(64), 1, Map.of(),
        promoted, promoted ? List.of(ModelPromoted.CHAMPION) : List.of(), at);
  }

  private static ModelPromoted promoted(int version, long sequence, Instant at, AliasChange change, PromotionCause cause) {
    return new ModelPromoted("m", ModelPromoted.CHAMPION, version, null, change, cause, sequence, at);
  }

  @Test
  void shouldTakeAPromotedImageAsChampionWhenNothingIsKnown() {
    Optional<Champion> after = Champion.afterPush(Optional.empty(), pushed(1, true, T0), false, T0.plusSeconds(1));

    assertThat(after).get().extracting(Champion::version, Champion::fromPromotion).containsExactly(1, false);
  }

  @Test
  void shouldIgnoreTheFlagOfAnUnpromotedImageOrOfAVersionAModelPromotedSpokeAbout() {
    Optional<Champion> known = Optional.of(new Champion("m", 1, 5L, T0, true));

    assertThat(Champion.afterPush(known, pushed(2, false, T0.plusSeconds(60)), false, T0.plusSeconds(61))).isEmpty();
    assertThat(Champion.afterPush(known, pushed(2, true, T0.plusSeconds(60)), true, T0.plusSeconds(61)))
        .as("demoted while packaging built it: the ModelPromoted has the last word").isEmpty();
  }

  @Test
  void shouldOrderFactsByTimeNotByVersionSoABogusHighVersionShadowsNothing() {
    Optional<Champion> bogus = Champion.afterPush(Optional.empty(), pushed(1000, true, T0), false, T0);
    Optional<Champion> real = Champion.afterPush(bogus, pushed(5, true, T0.plusSeconds(30)), false, T0.plusSeconds(31));

    assertThat(real).get().extracting(Champion::version).isEqualTo(5);
    assertThat(Champion.afterPush(real, pushed(4, true, T0.plusSeconds(10)), false, T0.plusSeconds(40)))
        .as("an image pushed before what deploy knows arrives late").isEmpty();
  }

  @Test
  void shouldNotLetAnEventClaimToBeFromTheFuture() {
    Optional<Champion> future = Champion.afterPush(Optional.empty(), pushed(1000, true, T0.plusSeconds(86_400)), false, T0);

    assertThat(future.get().asOf()).isEqualTo(T0);
    assertThat(Champion.afterPush(future, pushed(5, true, T0.plusSeconds(5)), false, T0.plusSeconds(6))).isPresent();
  }

  @Test
  void shouldFollowTheNewestChampionChangeByItsSequenceIncludingAManualOneToAnOlderVersion() {
    Optional<Champion> v5 = Champion.afterPromotion(Optional.empty(), promoted(5, 7, T0, AliasChange.ASSIGNED, PromotionCause.GATE), T0);
    Optional<Champion> back = Champion.afterPromotion(v5,
        promoted(3, 8, T0.plusSeconds(60), AliasChange.ASSIGNED, PromotionCause.MANUAL), T0.plusSeconds(61));

    assertThat(back).get().extracting(Champion::version, Champion::sequence).containsExactly(3, 8L);
    assertThat(Champion.afterPromotion(back, promoted(5, 7, T0, AliasChange.ASSIGNED, PromotionCause.GATE), T0.plusSeconds(90)))
        .as("redelivered older change").isEmpty();
  }

  @Test
  void shouldRemoveTheChampionOnADemotion() {
    Optional<Champion> v5 = Champion.afterPromotion(Optional.empty(), promoted(5, 7, T0, AliasChange.ASSIGNED, PromotionCause.GATE), T0);

    Optional<Champion> none = Champion.afterPromotion(v5,
        promoted(5, 8, T0.plusSeconds(60), AliasChange.REMOVED, PromotionCause.MANUAL), T0.plusSeconds(60));

    assertThat(none).get().extracting(Champion::version).isNull();
  }

  @Test
  void shouldNotLetALateManualChangeOverrideAnImagePushedAfterIt() {
    Optional<Champion> v4 = Champion.afterPromotion(Optional.empty(), promoted(4, 7, T0, AliasChange.ASSIGNED, PromotionCause.GATE), T0);
    Optional<Champion> v6 = Champion.afterPush(v4, pushed(6, true, T0.plusSeconds(120)), false, T0.plusSeconds(121));

    assertThat(Champion.afterPromotion(v6,
        promoted(5, 8, T0.plusSeconds(60), AliasChange.ASSIGNED, PromotionCause.MANUAL), T0.plusSeconds(200))).isEmpty();
    assertThat(Champion.afterPromotion(v6,
        promoted(7, 9, T0.plusSeconds(300), AliasChange.ASSIGNED, PromotionCause.GATE), T0.plusSeconds(301)))
        .get().extracting(Champion::version).isEqualTo(7);
  }

  @Test
  void shouldIgnoreOtherAliases() {
    ModelPromoted staging = new ModelPromoted("m", "staging", 2, null, AliasChange.ASSIGNED, PromotionCause.MANUAL, 9, T0);

    assertThat(Champion.afterPromotion(Optional.empty(), staging, T0)).isEmpty();
  }
}
