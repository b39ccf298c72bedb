package io.edgeloop.modelpackage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the packaged model was fitted, so that a later run can refit the same configuration on new
 * data (same features, family and hyperparameters) without searching again. The features are the
 * manifest's {@link FeatureSpec}; this record holds the rest.
 *
 * @param members the fitted models whose outputs the graph averages (one for a single model)
 * @param seed the seed every member was fitted with
 * @param searchedOn the dataset versions the search that chose this configuration ran on, e.g.
 *     {@code turbofan@1..3}; a refit keeps it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainedPipeline(List<Member> members, long seed, String searchedOn) {

  public TrainedPipeline {
    members = List.copyOf(Objects.requireNonNull(members, "members"));
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a trained pipeline has at least one member");
    }
  }

  /**
   * One fitted model.
   *
   * @param family model family ({@code xgboost}, {@code random_forest}, {@code linear})
   * @param params its hyperparameters, as the search drew them
   * @param weight its weight in the average (the weights sum to 1)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(String family, Map<String, Object> params, double weight) {
    public Member {
      Objects.requireNonNull(family, "family");
      params = Map.copyOf(params);
    }
  }
}
