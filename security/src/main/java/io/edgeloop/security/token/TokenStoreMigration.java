package io.edgeloop.security.token;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the token table with the security module's own Flyway: schema
 * {@code edgeloop_auth} with its own history table, migrations in {@code db/migration/edgeloop-auth},
 * so it never mixes with the service's migrations, and every service on one database shares it.
 */
public final class TokenStoreMigration {
  public static final String SCHEMA = "edgeloop_auth";
  public static final String LOCATION = "classpath:db/migration/edgeloop-auth";
  private static final Logger log = LoggerFactory.getLogger(TokenStoreMigration.class);

  private TokenStoreMigration() {}

  /**
   * Migrates; a second attempt covers two services creating the schema at the same moment (Flyway's
   * lock covers migrations, not the schema they live in).
   */
  public static void migrate(DataSource dataSource) {
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .createSchemas(true)
        .locations(LOCATION)
        .load();
    try {
      flyway.migrate();
    } catch (FlywayException first) {
      log.debug("token store migration failed once, trying again: {}", first.toString());
      flyway.migrate();
    }
  }
}
