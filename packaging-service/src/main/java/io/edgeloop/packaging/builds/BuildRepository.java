package io.edgeloop.packaging.builds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.WireValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code build} table. A build is claimed by one instance at a time with a lease the owner
 * renews; every change an owner makes is conditional on still owning it (fenced), so an instance
 * whose lease another took over cannot end or announce the build. Claimable: queued builds, retrying
 * ones whose backoff is over, and building / smoke-testing ones whose lease expired (their instance
 * died mid-build: the build is redone; the image is reproducible, so it gets the same digest).
 */
public class BuildRepository {
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private static final String OPEN = "('building', 'smoke-testing')";
  private final JdbcTemplate jdbc;

  public BuildRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A claimed build: what to build and where it stood.
   *
   * @param takenOver whether it was left building by an instance whose lease expired
   * @param retryingSince since when its transient failures last, or null
   */
  public record Claim(String model, int version, ModelTrained trained, String reference, Map<String, String> labels,
      boolean promoted, List<String> aliases, int attempts, int retries, Instant retryingSince, boolean takenOver) {}

  /**
   * Records {@code trained} as {@code status} (queued or skipped); a version that waits for its
   * model after a promotion is queued, promoted. Returns the status stored, or empty when the
   * version had a build already.
   */
  public Optional<BuildStatus> insert(ModelTrained trained, BuildStatus status, String reason, String reference,
      Map<String, String> labels, List<String> aliases) {
    int inserted = jdbc.update(
        "insert into build (model, version, status, trained_json, reference, labels_json, promoted, aliases_json, reason)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (model, version) do nothing",
        trained.modelName(), trained.modelVersion(), status.id(), json(trained), reference, json(labels),
        trained.promoted(), json(aliases), reason);
    if (inserted == 1) {
      return Optional.of(status);
    }
    int promoted = jdbc.update(
        "update build set status = 'queued', trained_json = ?, reference = ?, labels_json = ?, reason = null,"
            + " updated_at = now() where model = ? and version = ? and status = 'awaiting-model'",
        json(trained), reference, json(labels), trained.modelName(), trained.modelVersion());
    return promoted == 1 ? Optional.of(BuildStatus.QUEUED) : Optional.empty();
  }

  /**
   * Marks the version promoted (alias {@code alias}): a build skipped by policy is queued, an open one
   * will announce it promoted, an unknown version waits for its model. Returns the status after.
   */
  public BuildStatus promote(String model, int version, String alias) {
    jdbc.update("insert into build (model, version, status, promoted, aliases_json) values (?, ?, 'awaiting-model', true, ?)"
        + " on conflict (model, version) do nothing", model, version, json(List.of(alias)));
    jdbc.update("update build set status = case when status = 'skipped' then 'queued' else status end, promoted = true,"
        + " aliases_json = ?, reason = case when status = 'skipped' then null else reason end, updated_at = now()"
        + " where model = ? and version = ? and status in ('awaiting-model', 'skipped', 'queued', 'retrying', 'building', 'smoke-testing')",
        json(List.of(alias)), model, version);
    return find(model, version).map(BuildRecord::status).orElseThrow();
  }

  /** Claims the oldest claimable build for {@code owner}, leased for {@code lease}. */
  public Optional<Claim> claimNext(String owner, Duration lease) {
    return jdbc.query(
            "with next as (select model, version, status as was from build where"
                + " (status in ('queued', 'retrying') and (next_attempt_at is null or next_attempt_at <= now()))"
                + " or (status in " + OPEN + " and lease_until < now())"
                + " order by created_at, model, version limit 1 for update skip locked)"
                + " update build b set status = 'building', owner = ?, lease_until = now() + ? * interval '1 millisecond',"
                + " attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()"
                + " from next where b.model = next.model and b.version = next.version"
                + " returning b.*, next.was",
            this::claim, owner, lease.toMillis())
        .stream()
        .findFirst();
  }

  /** Extends the lease of a build {@code owner} holds; false when it no longer holds it. */
  public boolean renewLease(String owner, String model, int version, Duration lease) {
    return jdbc.update("update build set lease_until = now() + ? * interval '1 millisecond' where model = ? and version = ?"
        + " and owner = ? and status in " + OPEN, lease.toMillis(), model, version, owner) == 1;
  }

  /**
   * Ends the leases of the open builds recorded under {@code owner}, so that they are claimed again
   * now; for the start of a process, which holds none yet: any such build was left by an earlier
   * process with the same instance id (killed mid-build). Returns how many.
   */
  public int releaseLeftBy(String owner) {
    return jdbc.update("update build set lease_until = now() - interval '1 millisecond', updated_at = now() where owner = ?"
        + " and status in " + OPEN, owner);
  }

  /** Pushed and signed: the smoke test comes next. False when {@code owner} lost the build. */
  public boolean smokeTesting(Claim c, String owner, String digest, long sizeBytes, long pushedBytes, String smokeTest) {
    return jdbc.update("update build set status = 'smoke-testing', digest = ?, size_bytes = ?, pushed_bytes = ?, signed = true,"
            + " smoke_test = ?, updated_at = now() where model = ? and version = ? and owner = ? and status in " + OPEN,
        digest, sizeBytes, pushedBytes, smokeTest, c.model(), c.version(), owner) == 1;
  }

  /** Done; call in the transaction that announces it. False when {@code owner} lost the build. */
  public boolean pushed(Claim c, String owner) {
    return jdbc.update("update build set status = 'pushed', owner = null, lease_until = null, reason_code = null, reason = null,"
            + " retries = 0, retrying_since = null, next_attempt_at = null, finished_at = now(), updated_at = now()"
            + " where model = ? and version = ? and owner = ? and status = 'smoke-testing'",
        c.model(), c.version(), owner) == 1;
  }

  /**
   * Ends the build as failed; call in the transaction that announces it. Returns the failure's
   * number (for {@code ImageBuildFailed.attempt}), or empty when {@code owner} lost the build.
   */
  public Optional<Integer> failed(Claim c, String owner, BuildFailureReason code, String reason) {
    return jdbc.query("update build set status = 'failed', owner = null, lease_until = null, reason_code = ?, reason = ?,"
            + " failures = failures + 1, next_attempt_at = null, finished_at = now(), updated_at = now()"
            + " where model = ? and version = ? and owner = ? and status in " + OPEN + " returning failures",
        (rs, i) -> rs.getInt(1), code.wire(), reason, c.model(), c.version(), owner).stream().findFirst();
  }

  /** Releases the build to be tried again at {@code next} (by any instance). False when {@code owner} lost it. */
  public boolean retryLater(Claim c, String owner, BuildFailureReason code, String reason, Instant next) {
    return jdbc.update("update build set status = 'retrying', owner = null, lease_until = null, reason_code = ?, reason = ?,"
            + " retries = retries + 1, retrying_since = coalesce(retrying_since, now()), next_attempt_at = ?, updated_at = now()"
            + " where model = ? and version = ? and owner = ? and status in " + OPEN,
        code.wire(), reason, Timestamp.from(next), c.model(), c.version(), owner) == 1;
  }

  /** Gives a build this instance holds back to the queue at once (this instance is stopping). */
  public boolean release(Claim c, String owner) {
    return jdbc.update("update build set status = 'queued', owner = null, lease_until = null, updated_at = now()"
            + " where model = ? and version = ? and owner = ? and status in " + OPEN,
        c.model(), c.version(), owner) == 1;
  }

  public Optional<BuildRecord> find(String model, int version) {
    return jdbc.query("select * from build where model = ? and version = ?", this::record, model, version).stream().findFirst();
  }

  /** Builds, newest first. */
  public List<BuildRecord> list(int limit) {
    return jdbc.query("select * from build order by created_at desc, model, version desc limit ?", this::record, limit);
  }

  private Claim claim(ResultSet rs, int row) throws SQLException {
    return new Claim(rs.getString("model"), rs.getInt("version"), read(rs.getString("trained_json"), ModelTrained.class),
        rs.getString("reference"), read(rs.getString("labels_json"), new TypeReference<Map<String, String>>() {}),
        rs.getBoolean("promoted"), read(rs.getString("aliases_json"), new TypeReference<List<String>>() {}),
        rs.getInt("attempts"), rs.getInt("retries"), instant(rs, "retrying_since"),
        !rs.getString("was").equals(BuildStatus.QUEUED.id()) && !rs.getString("was").equals(BuildStatus.RETRYING.id()));
  }

  private BuildRecord record(ResultSet rs, int row) throws SQLException {
    BuildStatus status = BuildStatus.parse(rs.getString("status"));
    String code = rs.getString("reason_code");
    return new BuildRecord(rs.getString("model"), rs.getInt("version"), rs.getString("reference"), rs.getString("digest"),
        rs.getLong("size_bytes"), rs.getLong("pushed_bytes"), status,
        code == null ? null : WireValues.parse(BuildFailureReason.class, code), rs.getString("reason"),
        status == BuildStatus.PUSHED, rs.getBoolean("signed"), rs.getString("smoke_test"), rs.getInt("attempts"),
        read(rs.getString("labels_json"), new TypeReference<Map<String, String>>() {}), rs.getBoolean("promoted"),
        read(rs.getString("aliases_json"), new TypeReference<List<String>>() {}), rs.getString("owner"),
        instant(rs, "next_attempt_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot store " + value, e);
    }
  }

  private static <T> T read(String json, Class<T> type) throws SQLException {
    try {
      return json == null ? null : JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable " + type.getSimpleName() + " in the build table", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable build row", e);
    }
  }
}
