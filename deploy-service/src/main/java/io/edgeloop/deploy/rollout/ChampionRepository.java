package io.edgeloop.deploy.rollout;

import java.sql.Timestamp;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tables {@code model_champion} and {@code model_promotion}: what deploy knows of each model's champion. */
@Repository
public class ChampionRepository {
  private final JdbcClient jdbc;

  public ChampionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The model's champion state, locked until the transaction ends (events of one model are applied one at a time). */
  public Optional<Champion> lock(String model) {
    jdbc.sql("insert into model_champion (model_name, as_of, from_event, updated_at) values (?, 'epoch', 'none', now())"
        + " on conflict do nothing").param(model).update();
    return jdbc.sql("select model_version, sequence, as_of, from_event from model_champion where model_name = ? for update")
        .param(model)
        .query((rs, n) -> "none".equals(rs.getString("from_event")) ? null : new Champion(model,
            (Integer) rs.getObject("model_version"), (Long) rs.getObject("sequence"),
            rs.getTimestamp("as_of").toInstant(), "promotion".equals(rs.getString("from_event"))))
        .optional();
  }

  public void save(Champion champion) {
    jdbc.sql("update model_champion set model_version = ?, sequence = ?, as_of = ?, from_event = ?, updated_at = now()"
            + " where model_name = ?")
        .params(champion.version(), champion.sequence(), Timestamp.from(champion.asOf()),
            champion.fromPromotion() ? "promotion" : "push", champion.model())
        .update();
  }

  /** The current champion version, if any. */
  public Optional<Integer> version(String model) {
    return jdbc.sql("select model_version from model_champion where model_name = ? and model_version is not null")
        .param(model).query(Integer.class).optional();
  }

  /** Whether a ModelPromoted has spoken about this version. */
  public boolean promotedBefore(String model, int version) {
    return jdbc.sql("select count(*) from model_promotion where model_name = ? and model_version = ?")
        .params(model, version).query(Integer.class).single() > 0;
  }

  public void recordPromotion(String model, int version, long sequence) {
    jdbc.sql("insert into model_promotion (model_name, model_version, sequence) values (?, ?, ?)"
            + " on conflict (model_name, model_version) do update set sequence = greatest(model_promotion.sequence, excluded.sequence)")
        .params(model, version, sequence).update();
  }
}
