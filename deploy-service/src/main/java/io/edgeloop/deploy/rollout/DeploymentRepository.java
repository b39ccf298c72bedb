package io.edgeloop.deploy.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code deployment} table: history per target and the queue the rollout runners claim from.
 * Several deploy-service instances may share it: a running deployment belongs to its {@code owner}
 * while its lease lasts, and the status changes of a running deployment are conditional on that
 * owner, so an instance whose deployment was taken over cannot record its outcome any more.
 * Lease times are the database's clock ({@code now()}), the one clock all instances share.
 */
@Repository
public class DeploymentRepository {
  private static final String COLUMNS = "id, rollout_id, stage, target, target_kind, model_name, model_version,"
      + " image_reference, image_digest, trigger, source_event_id, status, previous_version, message, attempts,"
      + " next_attempt_at, created_at, updated_at, started_at, finished_at, duration_ms, owner, lease_until, announced_status";
  /** Due to run: queued, or pending with its retry time come. */
  private static final String DUE = "(status = 'queued' or (status = 'pending' and (next_attempt_at is null or next_attempt_at <= ?)))";
  /** Nothing runs on the row's target now (one rollout per target at a time, across instances). */
  private static final String TARGET_IDLE =
      "not exists (select 1 from deployment r where r.target = deployment.target and r.status = 'running')";
  private static final String CLAIM_LOCK = "edgeloop.deploy.claim";
  private final JdbcClient jdbc;

  public DeploymentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts a new deployment; empty when this event already planned one for this target (redelivery). */
  public Optional<Deployment> insert(NewDeployment d, Instant now) {
    return jdbc.sql("insert into deployment (rollout_id, stage, target, target_kind, model_name, model_version,"
            + " image_reference, image_digest, trigger, source_event_id, status, message, created_at, updated_at, finished_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (source_event_id, target) do nothing returning " + COLUMNS)
        .params(d.rolloutId(), d.stage(), d.target(), d.targetKind(), d.modelName(), d.modelVersion(),
            d.imageReference(), d.imageDigest(), d.trigger(), d.sourceEventId(), d.status().value(), d.message(), ts(now),
            ts(now), d.status().isFinal() ? ts(now) : null)
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

  /** The newest deployment of {@code model} on {@code target} that was neither canceled nor rejected. */
  public Optional<Deployment> latest(String target, String model) {
    return jdbc.sql("select " + COLUMNS + " from deployment where target = ? and model_name = ?"
            + " and status not in ('canceled', 'rejected') order by id desc limit 1")
        .params(target, model).query(DeploymentRepository::row).optional();
  }

  public List<Deployment> inRollout(String rolloutId, int stage) {
    return jdbc.sql("select " + COLUMNS + " from deployment where rollout_id = ? and stage = ? order by id")
        .params(rolloutId, stage)
        .query(DeploymentRepository::row).list();
  }

  /**
   * Serialises claims across instances until the transaction ends (claims are short; the rollouts
   * themselves run outside this lock).
   */
  public void lockClaims() {
    jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param(CLAIM_LOCK).query(Object.class).single();
  }

  /** Deployments due to run on targets where nothing runs now, oldest first. */
  public List<Deployment> claimable(Instant now) {
    return jdbc.sql("select " + COLUMNS + " from deployment where " + DUE + " and " + TARGET_IDLE + " order by id")
        .param(ts(now))
        .query(DeploymentRepository::row).list();
  }

  /** Makes {@code owner} run a due deployment (-> running, leased); false when it is no longer due or its target is busy. */
  public boolean claim(long id, String owner, Duration lease, Instant now) {
    return jdbc.sql("update deployment set status = 'running', owner = ?, lease_until = now() + ? * interval '1 millisecond',"
            + " attempts = attempts + 1, started_at = coalesce(started_at, ?), updated_at = ? where id = ? and " + DUE
            + " and " + TARGET_IDLE)
        .params(owner, lease.toMillis(), ts(now), ts(now), id, ts(now)).update() == 1;
  }

  /** Extends the lease of a deployment {@code owner} runs; false when it no longer holds it. */
  public boolean renewLease(long id, String owner, Duration lease) {
    return jdbc.sql("update deployment set lease_until = now() + ? * interval '1 millisecond'"
            + " where id = ? and owner = ? and status = 'running'")
        .params(lease.toMillis(), id, owner).update() == 1;
  }

  /**
   * Queues again the running deployments whose owner stopped renewing its lease (with {@code
   * includeOwn}, also those of {@code owner}: its previous process); returns them as they were.
   */
  public List<Deployment> requeueExpired(String owner, boolean includeOwn, Instant now) {
    List<Deployment> expired = jdbc.sql("select " + COLUMNS + " from deployment where status = 'running'"
            + " and (lease_until is null or lease_until < now() or (? and owner = ?))")
        .params(includeOwn, owner).query(DeploymentRepository::row).list();
    return expired.stream()
        .filter(d -> jdbc.sql("update deployment set status = 'queued', owner = null, lease_until = null, message = ?,"
                + " updated_at = ? where id = ? and status = 'running' and owner is not distinct from ?"
                + " and (lease_until is null or lease_until < now() or (? and owner = ?))")
            .params("taken over: " + (d.owner() == null ? "its instance" : "instance " + d.owner())
                + " stopped renewing its lease", ts(now), d.id(), d.owner(), includeOwn, owner).update() == 1)
        .toList();
  }

  /** Records what the target ran before; false when {@code owner} no longer holds the deployment. */
  public boolean recordPrevious(long id, String owner, Integer previousVersion) {
    return jdbc.sql("update deployment set previous_version = ? where id = ? and status = 'running' and owner = ?")
        .params(previousVersion, id, owner).update() == 1;
  }

  /** Ends a running deployment; false when {@code owner} no longer holds it. */
  public boolean finish(long id, String owner, DeploymentStatus status, String message, long durationMs, Instant now) {
    return jdbc.sql("update deployment set status = ?, message = ?, duration_ms = ?, finished_at = ?, updated_at = ?,"
            + " next_attempt_at = null, lease_until = null where id = ? and status = 'running' and owner = ?")
        .params(status.value(), message, durationMs, ts(now), ts(now), id, owner).update() == 1;
  }

  /** A running deployment waits for its next attempt; false when {@code owner} no longer holds it. */
  public boolean postpone(long id, String owner, String message, Instant nextAttempt, Instant now) {
    return jdbc.sql("update deployment set status = 'pending', message = ?, next_attempt_at = ?, updated_at = ?,"
            + " lease_until = null where id = ? and status = 'running' and owner = ?")
        .params(message, ts(nextAttempt), ts(now), id, owner).update() == 1;
  }

  /** Gives a running deployment back to the queue at once (this instance stops); false when not held. */
  public boolean release(long id, String owner, String message, Instant now) {
    return jdbc.sql("update deployment set status = 'queued', owner = null, lease_until = null, message = ?, updated_at = ?,"
            + " attempts = greatest(attempts - 1, 0) where id = ? and status = 'running' and owner = ?")
        .params(message, ts(now), id, owner).update() == 1;
  }

  public void markAnnounced(long id, DeploymentStatus status) {
    jdbc.sql("update deployment set announced_status = ? where id = ?").params(status.value(), id).update();
  }

  /** Moves a deployment that is not running from one state to another; false when it was not in {@code from}. */
  public boolean transition(long id, DeploymentStatus from, DeploymentStatus to, String message, Instant now) {
    if (from == DeploymentStatus.RUNNING) {
      throw new IllegalArgumentException("a running deployment changes only through its owner");
    }
    return jdbc.sql("update deployment set status = ?, message = coalesce(?, message), updated_at = ?,"
            + " finished_at = case when ? then ? else finished_at end where id = ? and status = ?")
        .params(to.value(), message, ts(now), to.isFinal(), ts(now), id, from.value()).update() == 1;
  }

  /** Cancels the waiting deployments of {@code model} on {@code target} other than {@code keep}. */
  public int cancelWaiting(String target, String model, long keep, String reason, Instant now) {
    return jdbc.sql("update deployment set status = 'canceled', message = ?, updated_at = ?, finished_at = ?"
            + " where target = ? and model_name = ? and id <> ? and status in ('awaiting_approval', 'queued', 'pending')")
        .params(reason, ts(now), ts(now), target, model, keep).update();
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
        instant(rs.getTimestamp("finished_at")), (Long) rs.getObject("duration_ms"), rs.getString("owner"),
        instant(rs.getTimestamp("lease_until")), rs.getString("announced_status"));
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
