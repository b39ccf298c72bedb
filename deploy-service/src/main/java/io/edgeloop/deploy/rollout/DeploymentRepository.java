package io.edgeloop.deploy.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code deployment} table: history per target and the queue the rollout worker runs. */
@Repository
public class DeploymentRepository {
  private static final String COLUMNS = "id, rollout_id, stage, target, target_kind, model_name, model_version,"
      + " image_reference, image_digest, trigger, source_event_id, status, previous_version, message, attempts,"
      + " next_attempt_at, created_at, updated_at, started_at, finished_at, duration_ms, announced_status";
  private final JdbcClient jdbc;

  public DeploymentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts a new deployment; empty when this event already planned one for this target (redelivery). */
  public Optional<Deployment> insert(NewDeployment d, Instant now) {
    return jdbc.sql("insert into deployment (rollout_id, stage, target, target_kind, model_name, model_version,"
            + " image_reference, image_digest, trigger, source_event_id, status, message, created_at, updated_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (source_event_id, target) do nothing returning " + COLUMNS)
        .params(d.rolloutId(), d.stage(), d.target(), d.targetKind(), d.release().modelName(),
            d.release().modelVersion(), d.release().imageReference(), d.release().digest(), d.trigger(),
            d.sourceEventId(), d.status().value(), d.message(), ts(now), ts(now))
        .query(DeploymentRepository::row)
        .optional();
  }

  public Optional<Deployment> find(long id) {
    return jdbc.sql("select " + COLUMNS + " from deployment where id = ?").param(id)
        .query(DeploymentRepository::row).optional();
  }

  /** Newest first; null filters match everything. */
  public List<Deployment> list(String target, String model, int limit) {
    return jdbc.sql("select " + COLUMNS + " from deployment"
            + " where (cast(? as varchar) is null or target = ?) and (cast(? as varchar) is null or model_name = ?)"
            + " order by id desc limit ?")
        .params(target, target, model, model, limit)
        .query(DeploymentRepository::row).list();
  }

  /** Queued deployments and pending ones whose retry time has come, oldest first. */
  public List<Deployment> due(Instant now) {
    return jdbc.sql("select " + COLUMNS + " from deployment where status = 'queued'"
            + " or (status = 'pending' and (next_attempt_at is null or next_attempt_at <= ?)) order by id")
        .param(ts(now))
        .query(DeploymentRepository::row).list();
  }

  public List<Deployment> inRollout(String rolloutId, int stage) {
    return jdbc.sql("select " + COLUMNS + " from deployment where rollout_id = ? and stage = ? order by id")
        .params(rolloutId, stage)
        .query(DeploymentRepository::row).list();
  }

  /** Deployments whose status changed since it was last announced. */
  public List<Deployment> unannounced() {
    return jdbc.sql("select " + COLUMNS + " from deployment where status in ('deployed', 'failed', 'rolled_back', 'pending')"
            + " and announced_status is distinct from status order by id")
        .query(DeploymentRepository::row).list();
  }

  public void markAnnounced(long id, DeploymentStatus status) {
    jdbc.sql("update deployment set announced_status = ? where id = ?").params(status.value(), id).update();
  }

  public void start(long id, Integer previousVersion, Instant now) {
    jdbc.sql("update deployment set status = 'running', attempts = attempts + 1, previous_version = ?,"
            + " started_at = coalesce(started_at, ?), updated_at = ? where id = ?")
        .params(previousVersion, ts(now), ts(now), id).update();
  }

  public void finish(long id, DeploymentStatus status, String message, long durationMs, Instant now) {
    jdbc.sql("update deployment set status = ?, message = ?, duration_ms = ?, finished_at = ?, updated_at = ?,"
            + " next_attempt_at = null where id = ?")
        .params(status.value(), message, durationMs, ts(now), ts(now), id).update();
  }

  public void postpone(long id, String message, Instant nextAttempt, Instant now) {
    jdbc.sql("update deployment set status = 'pending', message = ?, next_attempt_at = ?, updated_at = ? where id = ?")
        .params(message, ts(nextAttempt), ts(now), id).update();
  }

  /** Moves a deployment from one state to another; false when it was not in {@code from}. */
  public boolean transition(long id, DeploymentStatus from, DeploymentStatus to, String message, Instant now) {
    return jdbc.sql("update deployment set status = ?, message = coalesce(?, message), updated_at = ?,"
            + " finished_at = case when ? then ? else finished_at end where id = ? and status = ?")
        .params(to.value(), message, ts(now), to.isFinal(), ts(now), id, from.value()).update() == 1;
  }

  /** Cancels unfinished deployments of {@code model} on {@code target} below {@code version}. */
  public int cancelOpen(String target, String model, int version, String reason, Instant now) {
    return jdbc.sql("update deployment set status = 'canceled', message = ?, updated_at = ?, finished_at = ?"
            + " where target = ? and model_name = ? and model_version < ?"
            + " and status in ('awaiting_approval', 'queued', 'pending')")
        .params(reason, ts(now), ts(now), target, model, version).update();
  }

  /** After a crash, rollouts that were running start again from the queue. */
  public int requeueRunning(Instant now) {
    return jdbc.sql("update deployment set status = 'queued', message = 'requeued after a restart', updated_at = ?"
            + " where status = 'running'").param(ts(now)).update();
  }

  /** The newest successful deployment of this model version to a target (this target first). */
  public Optional<Deployment> lastDeployed(String target, String model, int version) {
    return jdbc.sql("select " + COLUMNS + " from deployment where status = 'deployed'"
            + " and (cast(? as varchar) is null or model_name = ?) and model_version = ?"
            + " order by (target = ?) desc, id desc limit 1")
        .params(model, model, version, target)
        .query(DeploymentRepository::row).optional();
  }

  /** The newest successful deployment on a target, any model (what it runs, as far as history knows). */
  public Optional<Deployment> current(String target) {
    return jdbc.sql("select " + COLUMNS + " from deployment where status = 'deployed' and target = ?"
            + " order by finished_at desc, id desc limit 1")
        .param(target).query(DeploymentRepository::row).optional();
  }

  public int countOpen(String target, DeploymentStatus status) {
    return jdbc.sql("select count(*) from deployment where status = ? and (cast(? as varchar) is null or target = ?)")
        .params(status.value(), target, target).query(Integer.class).single();
  }

  private static Deployment row(ResultSet rs, int n) throws SQLException {
    return new Deployment(
        rs.getLong("id"), rs.getString("rollout_id"), rs.getInt("stage"), rs.getString("target"),
        rs.getString("target_kind"), rs.getString("model_name"), rs.getInt("model_version"),
        rs.getString("image_reference"), rs.getString("image_digest"), rs.getString("trigger"),
        rs.getString("source_event_id"), DeploymentStatus.of(rs.getString("status")),
        (Integer) rs.getObject("previous_version"), rs.getString("message"), rs.getInt("attempts"),
        instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")), (Long) rs.getObject("duration_ms"), rs.getString("announced_status"));
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
