package io.edgeloop.deploy.web;

import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.test.RunningService;
import io.edgeloop.deploy.DeployApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running deploy-service for the API's security tests (one cached Spring context): real Kafka, its
 * embedded PostgreSQL under a temporary data folder, the shipped configuration (no local Docker
 * target: nothing is deployed here), security as shipped (token mode). It consumes no events: a cached
 * context listening in the service's consumer group would take events meant for the other tests'
 * context.
 */
@SpringBootTest(classes = DeployApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.cloud.function.definition=", "spring.cloud.stream.function.autodetect=false",
        "spring.config.name=deploy-service", "edgeloop.deploy.local-target.enabled=false"})
abstract class DeployApiSupport extends RunningService {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    Path dataDir = Files.createTempDirectory("deploy-api");
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("edgeloop.data-dir", dataDir::toString);
  }
}
