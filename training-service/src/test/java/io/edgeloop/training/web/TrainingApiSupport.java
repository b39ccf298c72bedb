package io.edgeloop.training.web;

import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.test.RunningService;
import io.edgeloop.training.TestPostgres;
import io.edgeloop.training.TrainingApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running training-service for the API's security tests (one cached Spring context): real Kafka,
 * real PostgreSQL, the shipped configuration, security as shipped (token mode). It consumes no events:
 * a cached context listening in the service's consumer group would take events meant for the other
 * tests' context.
 */
@SpringBootTest(classes = TrainingApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.cloud.function.definition=", "spring.cloud.stream.function.autodetect=false",
        "spring.config.name=training-service", "edgeloop.training.max-snapshot-bytes=3000000"})
abstract class TrainingApiSupport extends RunningService {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    Path dataDir = Files.createTempDirectory("training-api");
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("spring.datasource.url", () -> TestPostgres.newDatabase("training_api"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("edgeloop.data-dir", dataDir::toString);
  }
}
