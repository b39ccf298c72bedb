package io.edgeloop.training.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChampionPolicyTest {
  @Test
  void shouldPromoteALowerErrorOnlyBeyondTheMargin() {
    ChampionPolicy policy = new ChampionPolicy(0.05);
    assertThat(policy.beats("rmse", 9.0, 10.0)).isTrue();
    assertThat(policy.beats("rmse", 9.6, 10.0)).isFalse();
    assertThat(policy.beats("rmse", 11.0, 10.0)).isFalse();
  }

  @Test
  void shouldPromoteAHigherScore() {
    ChampionPolicy strict = new ChampionPolicy(0.0);
    assertThat(strict.beats("r2", 0.91, 0.90)).isTrue();
    assertThat(strict.beats("r2", 0.90, 0.90)).isFalse();
    assertThat(strict.beats("accuracy", 0.80, 0.90)).isFalse();
  }

  @Test
  void shouldNeverPromoteNaN() {
    assertThat(new ChampionPolicy(0).beats("rmse", Double.NaN, 10.0)).isFalse();
  }

  @Test
  void shouldCompareOnTheSameHoldoutWhenTheRunScoredTheChampion() {
    var same = ChampionPolicy.compare("rmse", Map.of("rmse", 5.0, "holdout.rmse", 6.0, "champion.rmse", 7.0, "champion.version", 3.0),
        3, Map.of("rmse", 4.0));
    assertThat(same).isEqualTo(new ChampionPolicy.Comparison(6.0, 7.0, true));
    var script = ChampionPolicy.compare("rmse", Map.of("rmse", 5.0, "champion.rmse", 7.0), 3, Map.of("rmse", 4.0));
    assertThat(script).isEqualTo(new ChampionPolicy.Comparison(5.0, 7.0, true));
  }

  @Test
  void shouldFallBackToRecordedMetricsWhenTheChampionChangedMeanwhile() {
    var stale = ChampionPolicy.compare("rmse", Map.of("rmse", 5.0, "holdout.rmse", 6.0, "champion.rmse", 7.0, "champion.version", 2.0),
        3, Map.of("rmse", 4.0));
    assertThat(stale).isEqualTo(new ChampionPolicy.Comparison(5.0, 4.0, false));
  }

  @Test
  void shouldSayInOneLineWhyAChallengerWasNotPromoted() {
    var decision = new ChampionPolicy(0.02).decide("rmse",
        Map.of("rmse", 5.0, "holdout.rmse", 14.2, "holdout.units", 12.0, "champion.rmse", 14.0, "champion.version", 1.0),
        1, Map.of("rmse", 4.0));
    assertThat(decision.promoted()).isFalse();
    assertThat(decision.reason())
        .isEqualTo("not promoted: rmse 14.2 vs champion v1 14 on the same 12 held-out units, needs < 13.72 (margin 2%)");
    var better = new ChampionPolicy(0).decide("rmse", Map.of("holdout.rmse", 9.5, "champion.rmse", 10.0, "champion.version", 4.0),
        4, Map.of("rmse", 4.0));
    assertThat(better).isEqualTo(new ChampionPolicy.Decision(true,
        "promoted: rmse 9.5 vs champion v4 10 on the same holdout, needs < 10 (margin 0%)"));
    assertThat(ChampionPolicy.first().reason()).isEqualTo("promoted: first version");
  }
}
