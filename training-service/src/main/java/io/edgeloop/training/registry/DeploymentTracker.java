package io.edgeloop.training.registry;

import io.edgeloop.contracts.ModelDeployed;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Knows which model versions deployments use, from ModelDeployed events (one row per target, the
 * latest state wins), so that the registry refuses to delete them.
 */
@Component
public class DeploymentTracker {
  private final JdbcTemplate jdbc;

  public DeploymentTracker(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void record(ModelDeployed event) {
    Integer inUse =
        switch (event.status()) {
          case DEPLOYED, PENDING -> event.modelVersion();
          default -> event.previousVersion(); // failed, rolled back or rejected: the previous version keeps serving
        };
    if (inUse == null) {
      jdbc.update("delete from model_deployment where target = ?", event.target());
      return;
    }
    jdbc.update(
        "insert into model_deployment (target, model_name, model_version, status, updated_at) values (?, ?, ?, ?, now())"
            + " on conflict (target) do update set model_name = excluded.model_name, model_version = excluded.model_version,"
            + " status = excluded.status, updated_at = now()",
        event.target(), event.modelName(), inUse, event.status().wire());
  }

  public java.util.List<String> targetsUsing(String model, int version) {
    return jdbc.queryForList(
        "select target from model_deployment where model_name = ? and model_version = ? order by target", String.class, model, version);
  }
}
