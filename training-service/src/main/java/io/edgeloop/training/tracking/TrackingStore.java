package io.edgeloop.training.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Params, tags, metric history, log lines and AutoML trials of runs (metadata in the database;
 * artifacts go to the blob store).
 */
@Component
public class TrackingStore {
  private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  public TrackingStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  public void logParams(String runId, Map<String, String> params) {
    params.forEach(
        (k, v) ->
            jdbc.update(
                "insert into run_param (run_id, key, value) values (?, ?, ?) on conflict (run_id, key) do update set value = excluded.value",
                runId, k, v));
  }

  public void setTags(String runId, Map<String, String> tags) {
    tags.forEach(
        (k, v) ->
            jdbc.update(
                "insert into run_tag (run_id, key, value) values (?, ?, ?) on conflict (run_id, key) do update set value = excluded.value",
                runId, k, v));
  }

  public void logMetric(String runId, String key, double value, long step, Instant time) {
    jdbc.update(
        "insert into run_metric (run_id, key, value, step, logged_at) values (?, ?, ?, ?, ?)",
        runId, key, value, step, Timestamp.from(time == null ? Instant.now() : time));
  }

  public void appendLog(String runId, String stream, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "insert into run_log (run_id, stream, line) values (?, ?, ?)",
        lines.stream().map(l -> new Object[] {runId, stream, l}).toList());
  }

  /** Records a trial of the run, replacing one with the same index (a run executed again). */
  public void recordTrial(String runId, Trial trial) {
    jdbc.update(
        "insert into run_trial (run_id, trial, family, params, metrics, score, millis, error) values (?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (run_id, trial) do update set family = excluded.family, params = excluded.params,"
            + " metrics = excluded.metrics, score = excluded.score, millis = excluded.millis, error = excluded.error",
        runId, trial.index(), trial.family(), write(trial.params()), write(trial.metrics()), trial.score(), trial.millis(),
        trial.error());
  }

  /** The run's trials, by index. */
  public List<Trial> trials(String runId) {
    return jdbc.query(
        "select trial, family, params, metrics, score, millis, error from run_trial where run_id = ? order by trial",
        (rs, i) -> new Trial(rs.getInt(1), rs.getString(2), read(rs.getString(3), PARAMS), read(rs.getString(4), METRICS),
            rs.getObject(5, Double.class), rs.getLong(6), rs.getString(7)),
        runId);
  }

  private String write(Map<String, ?> value) {
    try {
      return json.writeValueAsString(value == null ? Map.of() : value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run_trial holds malformed JSON: " + text, e);
    }
  }

  public Map<String, String> params(String runId) {
    return keyValues("select key, value from run_param where run_id = ? order by key", runId);
  }

  public Map<String, String> tags(String runId) {
    return keyValues("select key, value from run_tag where run_id = ? order by key", runId);
  }

  /** Metric history, by key then step then time. */
  public List<MetricPoint> metrics(String runId) {
    return jdbc.query(
        "select key, value, step, logged_at from run_metric where run_id = ? order by key, step, id",
        (rs, i) -> new MetricPoint(rs.getString(1), rs.getDouble(2), rs.getLong(3), rs.getTimestamp(4).toInstant()),
        runId);
  }

  /** The last value logged per metric key. */
  public Map<String, Double> latestMetrics(String runId) {
    Map<String, Double> latest = new LinkedHashMap<>();
    for (MetricPoint p : metrics(runId)) {
      latest.put(p.key(), p.value());
    }
    return latest;
  }

  public List<LogLine> logs(String runId, long afterSeq, int limit) {
    return jdbc.query(
        "select id, stream, line, logged_at from run_log where run_id = ? and id > ? order by id limit ?",
        (rs, i) -> new LogLine(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
        runId, afterSeq, limit);
  }

  /** The last {@code n} lines, oldest first: kept in RunFailed errors. */
  public List<String> tail(String runId, int n) {
    List<String> lines =
        new ArrayList<>(jdbc.queryForList("select line from run_log where run_id = ? order by id desc limit ?", String.class, runId, n));
    java.util.Collections.reverse(lines);
    return lines;
  }

  private Map<String, String> keyValues(String sql, String runId) {
    Map<String, String> out = new LinkedHashMap<>();
    jdbc.query(sql, rs -> {
      out.put(rs.getString(1), rs.getString(2));
    }, runId);
    return out;
  }
}
