package io.edgeloop.ingest.web;

import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.test.RunningService;
import io.edgeloop.ingest.IngestApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running ingest-service for the API's security tests (one cached Spring context): real Kafka, its
 * embedded PostgreSQL under a temporary data folder, the shipped configuration, security as shipped
 * (token mode).
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=ingest-service"})
abstract class IngestApiSupport extends RunningService {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    Path dataDir = Files.createTempDirectory("ingest-api");
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("edgeloop.data-dir", dataDir::toString);
  }
}
