package io.edgeloop.training.trainer;

import io.edgeloop.training.config.TrainingProperties.SearchPolicy;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Decides whether an AutoML run searches or refits the champion (see {@link SearchPolicy}). Pure:
 * every input is given, so each rule is tested on its own. The rules, first match wins:
 * <ol>
 *   <li>the run asks for a path ({@code settings.path: search|refit}): that path, unless a refit
 *       has no champion to refit;
 *   <li>no champion: search ({@code first_model}); a champion without a recorded configuration
 *       (a script's model): search ({@code champion_not_refittable});
 *   <li>the experiment's spec differs from the one the champion was made with: search
 *       ({@code spec_changed});
 *   <li>a scheduled run ({@code onSchedule}) or a manual one ({@code onManual}): search;
 *   <li>{@code everyDataVersions} versions landed since the last search's data: search
 *       ({@code data_versions});
 *   <li>otherwise: refit ({@code new_data}).
 * </ol>
 */
public final class TrainingPathPolicy {

  private TrainingPathPolicy() {}

  /**
   * What the policy looks at.
   *
   * @param requested {@code search}, {@code refit}, or null/{@code auto}
   * @param trigger the run's trigger: data, manual, schedule
   * @param championVersion the current champion's version, or null when there is none
   * @param championRefittable whether the champion records an AutoML configuration
   * @param specChanged whether the experiment's spec differs from the champion's
   * @param latestVersion the newest version of the experiment's dataset in this run
   * @param lastSearchedVersion the newest version the last search run of the experiment trained on
   */
  public record Inputs(String requested, String trigger, Integer championVersion, boolean championRefittable,
      boolean specChanged, long latestVersion, OptionalLong lastSearchedVersion) {}

  public static TrainingPath decide(Inputs in, SearchPolicy policy) {
    String requested = in.requested() == null ? "auto" : in.requested().toLowerCase(Locale.ROOT);
    String trigger = String.valueOf(in.trigger()).toLowerCase(Locale.ROOT);
    if (requested.equals("search")) {
      return TrainingPath.search("requested", "the run asked for a search (settings.path: search)");
    }
    if (in.championVersion() == null) {
      return TrainingPath.search("first_model", "no champion yet: the first model comes from a full search");
    }
    if (!in.championRefittable()) {
      return TrainingPath.search("champion_not_refittable", "champion v" + in.championVersion()
          + " records no AutoML configuration to refit (a script's model?)");
    }
    if (requested.equals("refit")) {
      return TrainingPath.refit("requested", "the run asked for a refit of champion v" + in.championVersion());
    }
    if (in.specChanged()) {
      return TrainingPath.search("spec_changed", "the experiment's spec changed since champion v" + in.championVersion()
          + " was made");
    }
    if (trigger.equals("schedule") && policy.onSchedule()) {
      return TrainingPath.search("schedule", "a scheduled run searches (search.on-schedule)");
    }
    if (trigger.equals("manual") && policy.onManual()) {
      return TrainingPath.search("manual", "a manual run searches (search.on-manual; settings.path: refit to refit)");
    }
    int every = policy.everyDataVersions();
    if (every > 0) {
      long since = in.latestVersion() - in.lastSearchedVersion().orElse(0);
      if (since >= every) {
        return TrainingPath.search("data_versions", since + " data versions since the last search"
            + (in.lastSearchedVersion().isPresent() ? " (on version " + in.lastSearchedVersion().getAsLong() + ")" : "")
            + " (search.every-data-versions: " + every + ")");
      }
    }
    return TrainingPath.refit("new_data", "new data: refit champion v" + in.championVersion()
        + "'s configuration on all data");
  }
}
