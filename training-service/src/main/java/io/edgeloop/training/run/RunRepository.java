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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code run} table: runs and their status changes. Status changes are conditional updates, so races lose cleanly. */
@Repository
public class RunRepository {
  static final ObjectMapper JSON = EventCodec.objectMapper();
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
            request.trigger(),
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

  /** Claims the oldest queued run of {@code target} for execution (queued -> preparing). */
  public Optional<String> claimNext(String target, String owner) {
    return jdbc.query(
            "update run set status = 'preparing', owner = ?, started_at = now(), attempt = attempt + 1 where id = ("
                + " select id from run where status = 'queued' and compute_target = ? and not cancel_requested"
                + " order by created_at, id limit 1 for update skip locked) returning id",
            (rs, i) -> rs.getString(1),
            owner,
            target)
        .stream()
        .findFirst();
  }

  public int countActive(String target) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from run where compute_target = ? and status in ('preparing', 'running')", Integer.class, target);
    return n == null ? 0 : n;
  }

  public Map<String, Integer> countByStatus() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    jdbc.query("select status, count(*) from run group by status", rs -> {
      counts.put(rs.getString(1), rs.getInt(2));
    });
    return counts;
  }

  /** Moves a run to {@code to} when it is in {@code from}; returns whether it did. */
  public boolean transition(String id, RunStatus from, RunStatus to) {
    return jdbc.update(
            "update run set status = ?, phase = ?, ended_at = case when ? then now() else ended_at end where id = ? and status = ?",
            to.wire(),
            to.wire(),
            to.isTerminal(),
            id,
            from.wire())
        == 1;
  }

  public void recordReproducibility(String id, String codeHash, String environment) {
    jdbc.update("update run set code_hash = coalesce(?, code_hash), environment = coalesce(?, environment) where id = ?", codeHash, environment, id);
  }

  /** Ends a run that is not terminal yet as failed or canceled; returns false when it had ended already. */
  public boolean end(String id, RunStatus status, String phase, String reason, String error) {
    return jdbc.update(
            "update run set status = ?, phase = ?, failure_reason = ?, error = ?, ended_at = now()"
                + " where id = ? and status not in ('completed', 'failed', 'canceled')",
            status.wire(),
            phase,
            reason,
            error,
            id)
        == 1;
  }

  public boolean complete(String id, String modelName, int modelVersion) {
    return jdbc.update(
            "update run set status = 'completed', phase = 'completed', model_name = ?, model_version = ?, ended_at = now()"
                + " where id = ? and status = 'running'",
            modelName,
            modelVersion,
            id)
        == 1;
  }

  public boolean requestCancel(String id) {
    return jdbc.update("update run set cancel_requested = true where id = ? and status not in ('completed', 'failed', 'canceled')", id) == 1;
  }

  /** Runs left preparing or running by a process that is gone (after a crash). */
  public List<Run> orphaned() {
    return jdbc.query("select * from run where status in ('preparing', 'running') order by created_at", this::map);
  }

  public void requeue(String id) {
    jdbc.update("update run set status = 'queued', phase = 'queued', owner = null where id = ?", id);
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
