package io.edgeloop.training.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingPropertiesTest {
  @Test
  void shouldTurnIndexedMapsFromYamlBindingBackIntoLists() {
    Map<String, Object> bound = Map.of(
        "families", Map.of("0", "xgboost", "1", "linear"),
        "timeSeries", Map.of("groupKey", "unit", "rolling", Map.of("0", Map.of("windows", Map.of("0", 5, "1", 20)))));
    Map<String, Object> settings = TrainingProperties.Settings.normalize(bound);
    assertThat(settings.get("families")).isEqualTo(List.of("xgboost", "linear"));
    assertThat(((Map<?, ?>) settings.get("timeSeries")).get("rolling")).isEqualTo(List.of(Map.of("windows", List.of(5, 20))));
  }

  @Test
  void shouldAlwaysOfferTheLocalComputeTarget() {
    TrainingProperties properties = new TrainingProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(properties.compute()).containsKey("local");
    assertThat(properties.maxAttempts()).isEqualTo(2);
    assertThat(properties.datasetWait()).isEqualTo(java.time.Duration.ofMinutes(2));
  }
}
