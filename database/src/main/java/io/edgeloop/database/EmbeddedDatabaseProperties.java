package io.edgeloop.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is configured.
 *
 * @param enabled start an embedded PostgreSQL when no {@code spring.datasource.url} is set (default true);
 *     set false to fail fast instead
 * @param dataDirectory where its files live, kept across restarts (default
 *     {@code ${edgeloop.data-dir}/postgres/${spring.application.name}})
 * @param port its port on 127.0.0.1; 0 picks a free one (default 0)
 */
@ConfigurationProperties("edgeloop.database.embedded")
public record EmbeddedDatabaseProperties(Boolean enabled, Path dataDirectory, Integer port) {
  public EmbeddedDatabaseProperties {
    enabled = enabled == null || enabled;
    port = port == null ? 0 : port;
  }
}
