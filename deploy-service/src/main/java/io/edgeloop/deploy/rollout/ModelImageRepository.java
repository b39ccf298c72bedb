package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.target.Release;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Table {@code model_image}: every image deploy heard of, with its admission outcome. */
@Repository
public class ModelImageRepository {
  private final JdbcClient jdbc;

  public ModelImageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records an image (first word wins: a re-announcement changes nothing). */
  public void record(String model, int version, String digest, String reference, boolean admitted, String reason,
      String eventId, Instant now) {
    jdbc.sql("insert into model_image (model_name, model_version, digest, image_reference, admitted, reason,"
            + " source_event_id, received_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
        .params(model, version, digest, reference, admitted, reason, eventId, Timestamp.from(now))
        .update();
  }

  /** The newest admitted image of a version, if one was pushed. */
  public Optional<Release> admitted(String model, int version) {
    return jdbc.sql("select image_reference, digest from model_image where model_name = ? and model_version = ? and admitted"
            + " order by received_at desc limit 1")
        .params(model, version)
        .query((rs, n) -> new Release(model, version, rs.getString("image_reference"), rs.getString("digest")))
        .optional();
  }
}
