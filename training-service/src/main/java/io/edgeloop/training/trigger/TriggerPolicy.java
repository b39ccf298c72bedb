package io.edgeloop.training.trigger;

import io.edgeloop.contracts.RunTrigger;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.config.TrainingProperties.Experiment;
import io.edgeloop.training.dataset.DatasetCatalog;
import io.edgeloop.training.run.RunService;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns landed data, schedules and manual triggers into queued runs and their RunRequested events
 * (through the outbox, see {@link RunService#request}).
 * Data triggers are debounced per experiment: landed rows accumulate in {@code trigger_state}, and
 * one run is requested once no new data came for {@code debounce} (or {@code maxDelay} passed since
 * the first pending batch) and at least {@code minNewRows} rows are pending. The run trains on every
 * version of the dataset up to the newest one, so each retrain sees all data so far. Several
 * instances may share the database: due triggers are taken with row locks ({@code skip locked}) and
 * cron slots are claimed in {@code trigger_state}, so each batch or slot is requested once.
 */
@Service
public class TriggerPolicy {
  private static final Logger log = LoggerFactory.getLogger(TriggerPolicy.class);
  private final TrainingProperties properties;
  private final DatasetCatalog catalog;
  private final RunService runs;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  public TriggerPolicy(TrainingProperties properties, DatasetCatalog catalog, RunService runs, JdbcTemplate jdbc, TransactionTemplate tx) {
    this.properties = properties;
    this.catalog = catalog;
    this.runs = runs;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  /** Records the dataset version and adds its rows to the pending data of every experiment on that dataset (once per version). */
  public void onDataLanded(DataLanded landed) {
    tx.executeWithoutResult(s -> {
      if (!catalog.record(landed)) {
        log.info("{} already recorded, ignoring the redelivered event", landed.ref());
        return;
      }
      for (Experiment e : properties.experiments()) {
        if (e.dataset() != null && e.dataset().equals(landed.dataset()) && e.autoTrigger()) {
          jdbc.update(
              "insert into trigger_state (experiment, pending_rows, latest_dataset, latest_version, first_pending, last_landed)"
                  + " values (?, ?, ?, ?, now(), now()) on conflict (experiment) do update set"
                  + " pending_rows = trigger_state.pending_rows + excluded.pending_rows,"
                  + " latest_dataset = excluded.latest_dataset,"
                  + " latest_version = greatest(coalesce(trigger_state.latest_version, 0), excluded.latest_version),"
                  + " first_pending = coalesce(trigger_state.first_pending, now()), last_landed = now()",
              e.name(), landed.rows(), landed.dataset(), landed.version());
        }
      }
    });
  }

  /** Requests a run for every experiment whose pending data is due; returns how many were requested. */
  public int fireDue(Instant now) {
    Integer fired = tx.execute(s -> {
      int n = 0;
      List<Map<String, Object>> states =
          jdbc.queryForList("select * from trigger_state where pending_rows > 0 and first_pending is not null for update skip locked");
      for (Map<String, Object> state : states) {
        Experiment e = properties.experiment((String) state.get("experiment")).orElse(null);
        if (e == null) {
          continue;
        }
        Instant lastLanded = ((Timestamp) state.get("last_landed")).toInstant();
        Instant firstPending = ((Timestamp) state.get("first_pending")).toInstant();
        boolean quiet = !now.isBefore(lastLanded.plus(e.debounce()));
        boolean overdue = !now.isBefore(firstPending.plus(e.maxDelay()));
        long rows = ((Number) state.get("pending_rows")).longValue();
        if ((quiet || overdue) && rows >= e.minNewRows()) {
          long version = ((Number) state.get("latest_version")).longValue();
          request(e, RunTrigger.DATA, catalog.upTo(e.dataset(), version), null, null);
          jdbc.update("update trigger_state set pending_rows = 0, first_pending = null, last_triggered = now() where experiment = ?", e.name());
          n++;
        }
      }
      return n;
    });
    return fired == null ? 0 : fired;
  }

  /**
   * Requests a run now ({@code manual} or {@code schedule}); datasets default to every landed version
   * of the experiment's dataset, spec and target to the configured ones. Returns the run id.
   */
  public String trigger(String experiment, RunTrigger trigger, List<DatasetRef> datasets, TrainingSpec spec, String computeTarget) {
    return request(experiment, trigger, datasets, spec, computeTarget, null);
  }

  /**
   * Requests the scheduled run of the cron occurrence {@code slot} over all landed data, unless
   * another instance sharing the database already requested it; returns the run id when this call did.
   */
  public Optional<String> triggerScheduled(String experiment, Instant slot) {
    return Optional.ofNullable(request(experiment, RunTrigger.SCHEDULE, null, null, null, slot));
  }

  private String request(String experiment, RunTrigger trigger, List<DatasetRef> datasets, TrainingSpec spec, String computeTarget, Instant slot) {
    Experiment e = properties.experiment(experiment)
        .orElseThrow(() -> new UnknownExperimentException("no experiment '" + experiment + "'; configured: "
            + properties.experiments().stream().map(Experiment::name).toList()));
    List<DatasetRef> refs = datasets != null && !datasets.isEmpty() ? datasets
        : catalog.latestVersion(e.dataset()).map(v -> catalog.upTo(e.dataset(), v)).orElse(List.of());
    if (refs.isEmpty()) {
      throw new UnknownExperimentException("no data has landed for dataset '" + e.dataset() + "' yet");
    }
    return tx.execute(s -> slot != null && !claimSlot(e.name(), slot) ? null : request(e, trigger, refs, spec, computeTarget));
  }

  /** Moves the experiment's last scheduled slot forward to {@code slot}; false when some instance had already (the row lock serialises them). */
  private boolean claimSlot(String experiment, Instant slot) {
    return jdbc.update(
            "insert into trigger_state (experiment, last_scheduled) values (?, ?) on conflict (experiment) do update"
                + " set last_scheduled = excluded.last_scheduled"
                + " where trigger_state.last_scheduled is null or trigger_state.last_scheduled < excluded.last_scheduled",
            experiment, Timestamp.from(slot))
        == 1;
  }

  /** Queues the run and announces it (RunService.request): in the caller's transaction, with the trigger state it consumes. */
  private String request(Experiment e, RunTrigger trigger, List<DatasetRef> datasets, TrainingSpec spec, String computeTarget) {
    String runId = UUID.randomUUID().toString();
    runs.request(new RunRequested(runId, e.name(), trigger, datasets, spec != null ? spec : e.trainingSpec(),
        computeTarget != null ? computeTarget : e.computeTarget(), Instant.now()));
    log.info("requested run {} of {} ({}) on {}", runId, e.name(), trigger.wire(), datasets);
    return runId;
  }

  /** The experiment is not configured, or has no data to train on. */
  public static class UnknownExperimentException extends RuntimeException {
    public UnknownExperimentException(String message) {
      super(message);
    }
  }
}
