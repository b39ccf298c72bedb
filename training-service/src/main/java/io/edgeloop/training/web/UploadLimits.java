package io.edgeloop.training.web;

import io.edgeloop.security.web.BodyLimit;
import io.edgeloop.training.config.TrainingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The snapshot upload is bounded by {@code edgeloop.training.max-snapshot-bytes} instead of the API's
 * default body limit, before its body is read.
 */
@Configuration(proxyBeanMethods = false)
class UploadLimits {
  @Bean
  BodyLimit snapshotUploadLimit(TrainingProperties properties) {
    return new BodyLimit(HttpMethod.POST, "/api/snapshots", properties.maxSnapshotBytes(), "edgeloop.training.max-snapshot-bytes");
  }
}
