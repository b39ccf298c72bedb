package io.edgeloop.training.dataset;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.EventCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The dataset versions announced by DataLanded, kept so that runs can name exact versions and read them later. */
@Component
public class DatasetCatalog {
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private final JdbcTemplate jdbc;

  public DatasetCatalog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Records the version; returns false when it was already known (a redelivered event). */
  public boolean record(DataLanded landed) {
    try {
      return jdbc.update(
              "insert into dataset_version (dataset, version, uris, format, schema_json, row_count, sha256, landed_at)"
                  + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
              landed.dataset(),
              landed.version(),
              JSON.writeValueAsString(landed.uris()),
              landed.format() == null ? "parquet" : landed.format(),
              JSON.writeValueAsString(landed.schema()),
              landed.rows(),
              landed.sha256(),
              Timestamp.from(landed.landedAt()))
          == 1;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public Optional<DatasetVersion> find(DatasetRef ref) {
    return jdbc.query("select * from dataset_version where dataset = ? and version = ?", this::map, ref.name(), ref.version())
        .stream()
        .findFirst();
  }

  /** Every version of {@code dataset} up to and including {@code version}: the training data of a data-triggered run. */
  public List<DatasetRef> upTo(String dataset, long version) {
    return jdbc.query(
        "select dataset, version from dataset_version where dataset = ? and version <= ? order by version",
        (rs, i) -> new DatasetRef(rs.getString(1), rs.getLong(2)),
        dataset,
        version);
  }

  public Optional<Long> latestVersion(String dataset) {
    return Optional.ofNullable(jdbc.queryForObject("select max(version) from dataset_version where dataset = ?", Long.class, dataset));
  }

  /** Resolves refs; throws {@link UnknownDatasetException} naming those not landed here. */
  public List<DatasetVersion> resolve(List<DatasetRef> refs) {
    List<DatasetVersion> found = new ArrayList<>();
    List<DatasetRef> missing = new ArrayList<>();
    for (DatasetRef ref : refs) {
      find(ref).ifPresentOrElse(found::add, () -> missing.add(ref));
    }
    if (!missing.isEmpty()) {
      throw new UnknownDatasetException("dataset versions never landed here: " + missing);
    }
    return found;
  }

  private DatasetVersion map(ResultSet rs, int row) throws SQLException {
    try {
      return new DatasetVersion(
          rs.getString("dataset"),
          rs.getLong("version"),
          JSON.readValue(rs.getString("uris"), new TypeReference<List<String>>() {}),
          rs.getString("format"),
          JSON.readValue(rs.getString("schema_json"), new TypeReference<List<ColumnSpec>>() {}),
          rs.getLong("row_count"),
          rs.getString("sha256"),
          rs.getTimestamp("landed_at").toInstant());
    } catch (java.io.IOException e) {
      throw new SQLException("unreadable dataset_version row", e);
    }
  }

  /** A run names dataset versions this service has never seen. */
  public static class UnknownDatasetException extends RuntimeException {
    public UnknownDatasetException(String message) {
      super(message);
    }
  }
}
