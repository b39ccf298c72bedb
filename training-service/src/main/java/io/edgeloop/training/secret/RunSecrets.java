package io.edgeloop.training.secret;

import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Secret values given inline in a run's request, sealed ({@link SecretBox}) in table
 * {@code run_secret} from the request until the run ends (a database trigger deletes them when the
 * run reaches a final status), so that any instance can execute the run and no row holds a value in
 * clear.
 */
public class RunSecrets {
  private final JdbcTemplate jdbc;
  private final SecretBox box;

  public RunSecrets(JdbcTemplate jdbc, SecretBox box) {
    this.jdbc = jdbc;
    this.box = box;
  }

  /** Seals and stores {@code value} of variable {@code name} for the run; joins the caller's transaction. */
  public void store(String runId, String name, String value) {
    jdbc.update("insert into run_secret (run_id, name, sealed) values (?, ?, ?)", runId, name, box.seal(value, context(runId, name)));
  }

  /** The run's secret values by variable name; throws {@link SecretUnavailableException} when one cannot be opened. */
  public Map<String, String> values(String runId) {
    Map<String, String> values = new LinkedHashMap<>();
    jdbc.query("select name, sealed from run_secret where run_id = ? order by name", rs -> {
      String name = rs.getString(1);
      try {
        values.put(name, box.open(rs.getBytes(2), context(runId, name)));
      } catch (GeneralSecurityException e) {
        throw new SecretUnavailableException("secret " + name + " of run " + runId
            + " cannot be opened with this instance's key (instances sharing a database need the same edgeloop.training.secret-key-file)");
      }
    }, runId);
    return values;
  }

  private static String context(String runId, String name) {
    return runId + "/" + name;
  }

  /** A sealed value does not open with this instance's key. */
  public static class SecretUnavailableException extends RuntimeException {
    public SecretUnavailableException(String message) {
      super(message);
    }
  }
}
