package io.edgeloop.ingest.replica;

import io.edgeloop.ingest.dataset.SourceClaims;
import io.edgeloop.messaging.loop.PollLoop;
import io.edgeloop.messaging.loop.PollLoops;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Claims as rows of ingest's {@code source_claim} table: taken with one conditional upsert (free,
 * expired, or already ours), renewed for all of this instance's claims by a heartbeat loop every
 * third of the lease, deleted when the input is done. An instance killed while it holds a claim
 * stops renewing it, and after the lease another instance takes the input over.
 */
public final class PostgresSourceClaims implements SourceClaims, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresSourceClaims.class);

  private final JdbcTemplate jdbc;
  private final String owner;
  private final double leaseSeconds;
  private final Duration lease;
  private PollLoop heartbeat;

  /**
   * @param owner this instance's name in the table (host, pid and a random part: unique per start)
   * @param lease how long a claim lasts without renewal: how soon a dead instance's input is taken over
   */
  public PostgresSourceClaims(JdbcTemplate jdbc, String owner, Duration lease) {
    this.jdbc = jdbc;
    this.owner = owner;
    this.lease = lease;
    this.leaseSeconds = lease.toMillis() / 1000.0;
  }

  /** Starts renewing this instance's claims (loop {@code ingest claims} on health). */
  public void start(PollLoops loops) {
    heartbeat = loops.start("ingest claims", lease.dividedBy(3), () -> {
      jdbc.update("update source_claim set lease_until = now() + make_interval(secs => ?) where owner = ?", leaseSeconds, owner);
      return false;
    });
  }

  public String owner() {
    return owner;
  }

  @Override
  public boolean claim(String key) {
    List<String> previous = jdbc.queryForList("select owner from source_claim where claim_key = ? and lease_until < now()", String.class, key);
    List<String> taken = jdbc.queryForList("""
        insert into source_claim (claim_key, owner, lease_until) values (?, ?, now() + make_interval(secs => ?))
        on conflict (claim_key) do update set owner = excluded.owner, lease_until = excluded.lease_until, claimed_at = now()
          where source_claim.owner = excluded.owner or source_claim.lease_until < now()
        returning owner""", String.class, key, owner, leaseSeconds);
    if (!taken.isEmpty() && !previous.isEmpty() && !owner.equals(previous.get(0))) {
      log.info("taking over {} from {}, whose claim ran out", key, previous.get(0));
    }
    return !taken.isEmpty();
  }

  @Override
  public void release(String key) {
    jdbc.update("delete from source_claim where claim_key = ? and owner = ?", key, owner);
  }

  @Override
  public void verify(String key) throws ClaimLostException {
    List<String> holder = jdbc.queryForList("select owner from source_claim where claim_key = ? for update", String.class, key);
    if (holder.isEmpty() || !owner.equals(holder.get(0))) {
      throw new ClaimLostException(key, holder.isEmpty() ? null : holder.get(0));
    }
  }

  @Override
  public void close() {
    if (heartbeat != null) {
      heartbeat.stop();
    }
  }
}
