package io.edgeloop.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * One-command mode needs no database install: when {@code spring.datasource.url} is not set, the
 * service starts a real PostgreSQL (zonky's embedded binaries) on loopback with its data kept under
 * the edgeloop data directory, so the same Flyway migrations run as in production. With a URL set,
 * Spring Boot's own DataSource is used and nothing here starts.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty() && ${edgeloop.database.embedded.enabled:true}")
public class EmbeddedPostgresConfiguration {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(
      EmbeddedDatabaseProperties properties,
      @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir,
      @Value("${spring.application.name}") String service)
      throws IOException {
    Path directory =
        properties.dataDirectory() != null ? properties.dataDirectory() : dataDir.resolve("postgres").resolve(service);
    Files.createDirectories(directory);
    int port = properties.port() != 0 ? properties.port() : freePort();
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory.toAbsolutePath())
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start();
    log.info("embedded PostgreSQL for {} on 127.0.0.1:{} (data in {})", service, port, directory.toAbsolutePath());
    return postgres;
  }

  @Bean
  @ConditionalOnMissingBean
  DataSource dataSource(EmbeddedPostgres postgres) {
    return postgres.getPostgresDatabase();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
