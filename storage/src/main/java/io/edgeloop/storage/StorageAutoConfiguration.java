package io.edgeloop.storage;

import java.io.IOException;
import java.net.URI;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * One {@link ArtifactStore} bean for every service that depends on this module, from {@code
 * edgeloop.storage.*}; in one-command mode the four services share it.
 */
@AutoConfiguration
@EnableConfigurationProperties(StorageSettings.class)
public class StorageAutoConfiguration {
  static final String DEFAULT_URI = "file:${edgeloop.data-dir:.edgeloop}/blobs";

  @Bean
  @ConditionalOnMissingBean
  ArtifactStore artifactStore(StorageSettings settings, Environment environment) throws IOException {
    URI uri = settings.uri() != null && !settings.uri().toString().isBlank()
        ? settings.uri()
        : URI.create(environment.resolvePlaceholders(DEFAULT_URI));
    return ArtifactStores.open(new StorageSettings(uri, settings.azure()));
  }
}
