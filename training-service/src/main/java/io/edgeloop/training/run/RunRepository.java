package io.edgeloop.training.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.TrainingSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code run} table: runs and their status changes. Status changes are conditional updates, so
 * races lose cleanly; those of an executing run also require its owner, so an instance whose lease
 * was taken over cannot end or complete the run that another instance now executes.
 */
@Repository
public class RunRepository {
  static final ObjectMapper JSON = EventCodec.objectMapper();
  /** An executing run whose owner stopped renewing its lease (parameters: includeOwn, owner). */
  private static final String ORPHANED = "(lease_until is null or lease_until < now() or (? and owner = ?))";
  private final JdbcTemplate jdbc;

  public RunRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts a queued run for the request; returns false when that run id exists already (redelivery). */
  public boolean insertQueued(RunRequested request, TrainingSpec spec, String computeTarget, long seed) {
    return jdbc.update(
            "insert into run (id, experiment, trigger, status, trainer_kind, compute_target, spec_json, datasets_json, seed, requested_at)"
                + " values (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
            request.runId(),
            request.experiment(),
            request.trigger().wire(),
            spec.kind(),
            computeTarget,
            json(spec),
            json(request.datasets()),
            seed,
            Timestamp.from(request.requestedAt()))
        == 1;
  }

  public Optional<Run> find(String id) {
    return jdbc.query("select * from run where id = ?", this::map, id).stream().findFirst();
  }

  public List<Run> list(String experiment, String status, int limit) {
    StringBuilder sql = new StringBuilder("select * from run where 1=1");
    List<Object> args = new ArrayList<>();
    if (experiment != null) {
      sql.append(" and experiment = ?");
      args.add(experiment);
    }
    if (status != null) {
      sql.append(" and status = ?");
      args.add(status);
    }
    sql.append(" order by created_at desc, id limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), this::map, args.toArray());
  }

  /**
   * Claims the oldest queued run of {@code target} for {@code owner} (queued -> preparing, leased for
   * {@code lease}). The row lock with {@code skip locked} lets instances claim side by side, and the
   * status check makes a run claimed by one instance invisible to the others.
   */
  public Optional<String> claimNext(String target, String owner, Duration lease) {
    return jdbc.query(
            "update run set status = 'preparing', owner = ?, lease_until = now() + ? * interval '1 millisecond',"
                + " started_at = now(), attempt = attempt + 1 where status = 'queued' and id = ("
                + " select id from run where status = 'queued' and compute_target = ? and not cancel_requested"
                + " order by created_at, id limit 1 for update skip locked) returning id",
            (rs, i) -> rs.getString(1),
            owner,
            lease.toMillis(),
            target)
        .stream()
        .findFirst();
  }

  /** Runs of {@code target} that {@code owner} is executing (the concurrency limit is per instance). */
  public int countActive(String target, String owner) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from run where compute_target = ? and owner = ? and status in ('preparing', 'running')",
            Integer.class, target, owner);
    return n == null ? 0 : n;
  }

  /** Extends the lease of every run {@code owner} executes; returns their ids with whether a cancel was requested. */
  public Map<String, Boolean> renewLeases(String owner, Duration lease) {
    Map<String, Boolean> renewed = new java.util.HashMap<>();
    jdbc.query(
        "update run set lease_until = now() + ? * interval '1 millisecond' where owner = ? and status in ('preparing', 'running')"
            + " returning id, cancel_requested",
        rs -> {
          renewed.put(rs.getString(1), rs.getBoolean(2));
        },
        lease.toMillis(),
        owner);
    return renewed;
  }

  public Map<String, Integer> countByStatus() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    jdbc.query("select status, count(*) from run group by status", rs -> {
      counts.put(rs.getString(1), rs.getInt(2));
    });
    return counts;
  }

  /** Moves a run that {@code owner} executes to {@code to} when it is in {@code from}; returns whether it did. */
  public boolean transition(String id, RunStatus from, RunStatus to, String owner) {
    return jdbc.update(
            "update run set status = ?, phase = ?, ended_at = case when ? then now() else ended_at end where id = ? and status = ? and owner = ?",
            to.wire(),
            to.wire(),
            to.isTerminal(),
            id,
            from.wire(),
            owner)
        == 1;
  }

  public void recordReproducibility(String id, String codeHash, String environment) {
    jdbc.update("update run set code_hash = coalesce(?, code_hash), environment = coalesce(?, environment) where id = ?", codeHash, environment, id);
  }

  /**
   * Ends a run that is not terminal yet as failed or canceled; returns false when it had ended already,
   * or when {@code owner} is given and no longer owns it.
   */
  public boolean end(String id, RunStatus status, String phase, String reason, String error, String owner) {
    return jdbc.update(
            "update run set status = ?, phase = ?, failure_reason = ?, error = ?, ended_at = now()"
                + " where id = ? and status not in ('completed', 'failed', 'canceled') and (cast(? as text) is null or owner = ?)",
            status.wire(),
            phase,
            reason,
            error,
            id,
            owner,
            owner)
        == 1;
  }

  public boolean complete(String id, String modelName, int modelVersion, String owner) {
    return jdbc.update(
            "update run set status = 'completed', phase = 'completed', model_name = ?, model_version = ?, ended_at = now()"
                + " where id = ? and status = 'running' and owner = ?",
            modelName,
            modelVersion,
            id,
            owner)
        == 1;
  }

  public boolean requestCancel(String id) {
    return jdbc.update("update run set cancel_requested = true where id = ? and status not in ('completed', 'failed', 'canceled')", id) == 1;
  }

  /**
   * Runs left preparing or running by an instance that is gone: their lease expired (or, with
   * {@code includeOwn}, at the start of {@code owner}, they belong to its previous process).
   */
  public List<Run> orphaned(String owner, boolean includeOwn) {
    return jdbc.query(
        "select * from run where status in ('preparing', 'running') and " + ORPHANED + " order by created_at", this::map, includeOwn, owner);
  }

  /** Makes {@code owner} the owner of an orphaned run (leased for {@code lease}); false when another instance was first or the owner is back. */
  public boolean takeOver(String id, String owner, boolean includeOwn, Duration lease) {
    return jdbc.update(
            "update run set owner = ?, lease_until = now() + ? * interval '1 millisecond' where id = ? and status in ('preparing', 'running') and "
                + ORPHANED,
            owner, lease.toMillis(), id, includeOwn, owner)
        == 1;
  }

  /** Queues a run that {@code owner} took over again for its next attempt. */
  public boolean requeue(String id, String owner) {
    return jdbc.update(
            "update run set status = 'queued', phase = 'queued', owner = null, lease_until = null where id = ? and owner = ?"
                + " and status in ('preparing', 'running')",
            id, owner)
        == 1;
  }

  /** Queued runs whose compute target is not one of {@code targets}. */
  public List<String> queuedOutside(java.util.Collection<String> targets) {
    return jdbc.queryForList("select id, compute_target from run where status = 'queued'").stream()
        .filter(row -> !targets.contains((String) row.get("compute_target")))
        .map(row -> (String) row.get("id"))
        .toList();
  }

  public int queueLength() {
    Integer n = jdbc.queryForObject("select count(*) from run where status = 'queued'", Integer.class);
    return n == null ? 0 : n;
  }

  private Run map(ResultSet rs, int row) throws SQLException {
    try {
      return new Run(
          rs.getString("id"),
          rs.getString("experiment"),
          rs.getString("trigger"),
          RunStatus.parse(rs.getString("status")),
          JSON.readValue(rs.getString("spec_json"), TrainingSpec.class),
          JSON.readValue(rs.getString("datasets_json"), new TypeReference<List<DatasetRef>>() {}),
          rs.getString("compute_target"),
          (Long) rs.getObject("seed"),
          rs.getString("code_hash"),
          rs.getString("environment"),
          rs.getString("phase"),
          rs.getString("failure_reason"),
          rs.getString("error"),
          rs.getInt("attempt"),
          rs.getBoolean("cancel_requested"),
          rs.getString("owner"),
          instant(rs, "lease_until"),
          rs.getString("model_name"),
          (Integer) rs.getObject("model_version"),
          instant(rs, "requested_at"),
          instant(rs, "created_at"),
          instant(rs, "started_at"),
          instant(rs, "ended_at"));
    } catch (java.io.IOException e) {
      throw new SQLException("unreadable run row", e);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
