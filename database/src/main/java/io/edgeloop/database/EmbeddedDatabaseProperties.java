package io.edgeloop.database;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is configured.
 *
 * @param enabled start an embedded PostgreSQL when no {@code spring.datasource.url} is set (default true);
 *     set false to fail fast instead
 * @param dataDirectory where its files live, kept across restarts (default
 *     {@code ${edgeloop.data-dir}/postgres/${spring.application.name}}); the superuser's generated
 *     password is kept beside it in {@code <directory>.password} (mode 0600)
 * @param port its port on 127.0.0.1; 0 picks a free one (default 0)
 * @param startupWait how long to wait for it to accept connections (default 60s; a busy machine needs more than zonky's 10 s)
 */
@ConfigurationProperties("edgeloop.database.embedded")
public record EmbeddedDatabaseProperties(Boolean enabled, Path dataDirectory, Integer port, Duration startupWait) {
  public EmbeddedDatabaseProperties {
    enabled = enabled == null || enabled;
    port = port == null ? 0 : port;
    startupWait = startupWait == null ? Duration.ofSeconds(60) : startupWait;
  }
}
