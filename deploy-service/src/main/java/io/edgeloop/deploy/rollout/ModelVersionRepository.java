package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.ModelTrained;
import java.sql.Timestamp;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code model_version} table: whether training promoted each version (idempotent on name + version). */
@Repository
public class ModelVersionRepository {
  private final JdbcClient jdbc;

  public ModelVersionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void record(ModelTrained model) {
    jdbc.sql("insert into model_version (model_name, model_version, promoted, trained_at) values (?, ?, ?, ?)"
            + " on conflict (model_name, model_version) do update set promoted = excluded.promoted")
        .params(model.modelName(), model.modelVersion(), model.promoted(), Timestamp.from(model.trainedAt()))
        .update();
  }

  /** Whether the version was promoted; empty when no ModelTrained for it was seen. */
  public Optional<Boolean> promoted(String model, int version) {
    return jdbc.sql("select promoted from model_version where model_name = ? and model_version = ?")
        .params(model, version).query(Boolean.class).optional();
  }
}
