package io.edgeloop.database;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A service started on its own needs no database install: when {@code spring.datasource.url} is
 * not set, it starts a real PostgreSQL (zonky's embedded binaries) on loopback with its data kept
 * under the edgeloop data directory and password authentication ({@link EmbeddedPostgresServer}),
 * so the same Flyway migrations run as in production. With a URL set (one-command mode sets one for
 * every service, pointing at the stack's one server), Spring Boot's own DataSource is used and
 * nothing here starts.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty() && ${edgeloop.database.embedded.enabled:true}")
public class EmbeddedPostgresConfiguration {

  @Bean(destroyMethod = "close")
  EmbeddedPostgresServer embeddedPostgres(
      EmbeddedDatabaseProperties properties,
      @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir,
      @Value("${spring.application.name}") String service)
      throws IOException {
    Path directory = properties.dataDirectory() != null ? properties.dataDirectory() : dataDir.resolve("postgres").resolve(service);
    return EmbeddedPostgresServer.start(directory, properties.port(), properties.startupWait());
  }

  @Bean
  @ConditionalOnMissingBean
  DataSource dataSource(EmbeddedPostgresServer postgres) {
    return DataSourceBuilder.create()
        .type(HikariDataSource.class)
        .url(postgres.jdbcUrl("postgres", null))
        .username(postgres.username())
        .password(postgres.password())
        .build();
  }
}
