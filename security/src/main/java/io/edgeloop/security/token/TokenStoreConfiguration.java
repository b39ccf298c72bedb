package io.edgeloop.security.token;

import io.edgeloop.security.EdgeloopSecurityProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The token store, where there is a database for it: {@code edgeloop.security.token-store.url}, else
 * the service's own DataSource. Migrated, and the bootstrap admin token stored, before the service
 * takes requests.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, afterName = "io.edgeloop.database.EmbeddedPostgresConfiguration")
@EnableConfigurationProperties(EdgeloopSecurityProperties.class)
@Conditional(TokenStoreConfiguration.HasDatabase.class)
public class TokenStoreConfiguration {

  @Bean(destroyMethod = "close")
  TokenDatabase edgeloopTokenDatabase(EdgeloopSecurityProperties properties, ObjectProvider<DataSource> serviceDataSource) {
    EdgeloopSecurityProperties.TokenStore store = properties.tokenStore();
    if (store.configured()) {
      return new TokenDatabase(DataSourceBuilder.create().url(store.url()).username(store.username()).password(store.password()).build(), true);
    }
    return new TokenDatabase(serviceDataSource.getObject(), false);
  }

  @Bean
  ApiTokens apiTokens(TokenDatabase database, EdgeloopSecurityProperties properties) {
    TokenStoreMigration.migrate(database.dataSource());
    ApiTokens tokens = new ApiTokens(new JdbcTemplate(database.dataSource()), Clock.systemUTC());
    if (properties.bootstrapTokenFile() != null) {
      BootstrapToken.ensure(properties.bootstrapTokenFile(), tokens);
    }
    return tokens;
  }

  /** The DataSource of the token store; closed with the context when it is the store's own pool. */
  record TokenDatabase(DataSource dataSource, boolean owned) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (owned && dataSource instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  static final class HasDatabase extends AnyNestedCondition {
    HasDatabase() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty("edgeloop.security.token-store.url")
    static final class OwnUrl {}

    @ConditionalOnBean(DataSource.class)
    static final class ServiceDataSource {}
  }
}
