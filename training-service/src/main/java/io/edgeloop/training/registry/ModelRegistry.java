package io.edgeloop.training.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.Lineage;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.PromotionCause;
import io.edgeloop.messaging.outbox.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The model registry: versions numbered per name, aliases ({@code champion}, {@code challenger},
 * user-defined), tags, lineage. Registration decides promotion and writes the ModelTrained event to
 * the outbox in the same transaction, so the registry and the event never diverge. Every alias change
 * is a row of {@code model_alias_change}; a change of the champion by the gate, and every change a
 * person makes (promote, alias set or removed, a version deleted with its aliases), is announced by a
 * ModelPromoted whose {@code sequence} is that row's id, written to the outbox in the same transaction.
 * Alias changes of one model are serialised on its {@code registered_model} row, so sequences follow
 * the order of the changes.
 */
@Component
public class ModelRegistry {
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";
  /** Tag of a version (and of its run) holding the champion gate's decision in one line. */
  public static final String GATE_TAG = "gate";
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private final JdbcTemplate jdbc;
  private final Outbox outbox;
  private final DeploymentTracker deployments;
  private final ChampionPolicy policy;

  public ModelRegistry(JdbcTemplate jdbc, Outbox outbox, DeploymentTracker deployments, ChampionPolicy policy) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.deployments = deployments;
    this.policy = policy;
  }

  /** Registers the next version, promotes it if it beats the champion, and adds ModelTrained to the outbox. Joins the caller's transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public ModelVersion register(Registration r) {
    jdbc.update("insert into registered_model (name) values (?) on conflict do nothing", r.modelName());
    jdbc.queryForObject("select name from registered_model where name = ? for update", String.class, r.modelName());
    Integer max = jdbc.queryForObject("select max(version) from model_version where model_name = ?", Integer.class, r.modelName());
    int version = max == null ? 1 : max + 1;
    Optional<ModelVersion> champion = alias(r.modelName(), CHAMPION);
    ChampionPolicy.Decision decision = champion.isEmpty() ? ChampionPolicy.first()
        : policy.decide(r.primaryMetric(), r.metrics(), champion.get().version(), champion.get().metrics());
    boolean promoted = decision.promoted();
    // the gate's one-line reason travels with the version and its ModelTrained event (tag "gate")
    Map<String, String> tags = new java.util.LinkedHashMap<>(r.tags());
    tags.put(GATE_TAG, decision.reason());
    jdbc.update(
        "insert into model_version (model_name, version, run_id, description, tags_json, properties_json, metrics_json, primary_metric,"
            + " onnx_uri, onnx_sha256, package_uri, signature_json, lineage_json, promoted) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.modelName(), version, r.runId(), r.description(), json(tags), json(r.properties()), json(r.metrics()), r.primaryMetric(),
        r.onnxUri(), r.onnxSha256(), r.packageUri(), json(r.signature()), json(r.lineage()), promoted);
    outbox.add(
        new ModelTrained(
            r.modelName(), version, r.runId(), r.experiment(), r.primaryMetric(), r.metrics(), r.onnxUri(), r.onnxSha256(),
            r.packageUri(), r.signature(), r.lineage(), tags, promoted, Instant.now()));
    // The gate announces champion changes; a new challenger is announced by ModelTrained (promoted: false) alone.
    assign(r.modelName(), promoted ? CHAMPION : CHALLENGER, version, PromotionCause.GATE, promoted);
    return version(r.modelName(), version).orElseThrow();
  }

  /** Points {@code alias} at {@code version} by hand (a promote when the alias is the champion) and announces it; nothing when it points there already. */
  @Transactional
  public void setAlias(String model, String alias, int version) {
    if (!alias.matches("[a-z][a-z0-9_-]{0,62}")) {
      throw new RegistryException(400, "alias must match [a-z][a-z0-9_-]*: " + alias);
    }
    lockModel(model); // first: the version cannot be deleted between the check and the change
    if (version(model, version).isEmpty()) {
      throw new RegistryException(404, "no version " + version + " of model " + model);
    }
    assign(model, alias, version, PromotionCause.MANUAL, true);
  }

  /** Removes {@code alias} by hand (a demote when it is the champion) and announces it; nothing when the model has no such alias. */
  @Transactional
  public void deleteAlias(String model, String alias) {
    lockModel(model);
    currentVersion(model, alias).ifPresent(left -> remove(model, alias, left));
  }

  private void lockModel(String model) {
    jdbc.query("select name from registered_model where name = ? for update", rs -> {}, model);
  }

  private Optional<Integer> currentVersion(String model, String alias) {
    return jdbc.queryForList("select version from model_alias where model_name = ? and alias = ?", Integer.class, model, alias).stream().findFirst();
  }

  /** Moves the alias (caller holds the model's lock), records the change and, when {@code announce}, adds ModelPromoted to the outbox. */
  private void assign(String model, String alias, int version, PromotionCause cause, boolean announce) {
    Integer previous = currentVersion(model, alias).orElse(null);
    if (previous != null && previous == version) {
      return;
    }
    jdbc.update(
        "insert into model_alias (model_name, alias, version, updated_at) values (?, ?, ?, now())"
            + " on conflict (model_name, alias) do update set version = excluded.version, updated_at = now()",
        model, alias, version);
    record(model, alias, version, previous, AliasChange.ASSIGNED, cause, announce);
  }

  private void remove(String model, String alias, int left) {
    jdbc.update("delete from model_alias where model_name = ? and alias = ?", model, alias);
    record(model, alias, left, left, AliasChange.REMOVED, PromotionCause.MANUAL, true);
  }

  private void record(String model, String alias, int version, Integer previous, AliasChange change, PromotionCause cause, boolean announce) {
    Map<String, Object> row = jdbc.queryForMap(
        "insert into model_alias_change (model_name, alias, version, previous_version, change, cause) values (?, ?, ?, ?, ?, ?)"
            + " returning id, changed_at",
        model, alias, version, previous, change.wire(), cause.wire());
    if (announce) {
      outbox.add(new ModelPromoted(model, alias, version, previous, change, cause, ((Number) row.get("id")).longValue(),
          ((java.sql.Timestamp) row.get("changed_at")).toInstant()));
    }
  }

  public Optional<ModelVersion> alias(String model, String alias) {
    List<Integer> v = jdbc.queryForList("select version from model_alias where model_name = ? and alias = ?", Integer.class, model, alias);
    return v.isEmpty() ? Optional.empty() : version(model, v.get(0));
  }

  public Optional<ModelVersion> version(String model, int version) {
    return jdbc.query("select * from model_version where model_name = ? and version = ?", this::map, model, version).stream().findFirst();
  }

  public List<ModelVersion> versions(String model) {
    return jdbc.query("select * from model_version where model_name = ? order by version desc", this::map, model);
  }

  /** Model names, optionally filtered by a substring of the name and by a tag on any version ({@code key} or {@code key=value}). */
  public List<String> search(String nameContains, String tag) {
    StringBuilder sql = new StringBuilder("select distinct m.name from registered_model m left join model_version v on v.model_name = m.name where 1=1");
    List<Object> args = new ArrayList<>();
    if (nameContains != null) {
      sql.append(" and m.name like ?");
      args.add("%" + nameContains.replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (tag != null) {
      String[] kv = tag.split("=", 2);
      if (kv.length == 2) {
        sql.append(" and (v.tags_json::jsonb ->> ?) = ?");
        args.add(kv[0]);
        args.add(kv[1]);
      } else {
        sql.append(" and jsonb_exists(v.tags_json::jsonb, ?)");
        args.add(kv[0]);
      }
    }
    sql.append(" order by m.name");
    return jdbc.queryForList(sql.toString(), String.class, args.toArray());
  }

  @Transactional
  public ModelVersion update(String model, int version, String description, Map<String, String> tags) {
    ModelVersion v = version(model, version).orElseThrow(() -> new RegistryException(404, "no version " + version + " of model " + model));
    jdbc.update(
        "update model_version set description = coalesce(?, description), tags_json = coalesce(?, tags_json) where model_name = ? and version = ?",
        description, tags == null ? null : json(tags), model, version);
    return version(model, v.version()).orElseThrow();
  }

  /** Deletes a version unless a deployment uses it; its aliases go with it. */
  @Transactional
  public void delete(String model, int version) {
    if (version(model, version).isEmpty()) {
      throw new RegistryException(404, "no version " + version + " of model " + model);
    }
    List<String> targets = deployments.targetsUsing(model, version);
    if (!targets.isEmpty()) {
      throw new RegistryException(409, model + " version " + version + " is deployed on " + targets + " and cannot be deleted");
    }
    lockModel(model);
    for (String alias : jdbc.queryForList("select alias from model_alias where model_name = ? and version = ? order by alias", String.class, model, version)) {
      remove(model, alias, version);
    }
    jdbc.update("delete from model_version where model_name = ? and version = ?", model, version);
  }

  private ModelVersion map(ResultSet rs, int row) throws SQLException {
    String name = rs.getString("model_name");
    int version = rs.getInt("version");
    try {
      return new ModelVersion(
          name,
          version,
          rs.getString("run_id"),
          rs.getString("description"),
          JSON.readValue(rs.getString("tags_json"), new TypeReference<Map<String, String>>() {}),
          JSON.readValue(rs.getString("properties_json"), new TypeReference<Map<String, String>>() {}),
          JSON.readValue(rs.getString("metrics_json"), new TypeReference<Map<String, Double>>() {}),
          rs.getString("primary_metric"),
          rs.getString("onnx_uri"),
          rs.getString("onnx_sha256"),
          rs.getString("package_uri"),
          rs.getString("signature_json") == null ? null : JSON.readValue(rs.getString("signature_json"), ModelSignature.class),
          JSON.readValue(rs.getString("lineage_json"), Lineage.class),
          rs.getBoolean("promoted"),
          jdbc.queryForList("select alias from model_alias where model_name = ? and version = ? order by alias", String.class, name, version),
          rs.getTimestamp("created_at").toInstant());
    } catch (java.io.IOException e) {
      throw new SQLException("unreadable model_version row", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value == null ? Map.of() : value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
