package io.edgeloop.launcher;

import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.messaging.EventReader;
import io.edgeloop.messaging.PoisonEventException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/**
 * A service as edgeloop's services consume events: the messaging module's binder defaults, its
 * reader and its {@code RetryingConsumers}, so its dead letters are written by the real dead-letter
 * path. Its handler refuses every {@code RunFailed} as poison until {@link #mend()} (the operator
 * fixed the cause); records that are no event are dead-lettered by the reader itself.
 * No database, storage or web layer: none of that takes part in dead-lettering.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
    "io.edgeloop.database.EmbeddedPostgresConfiguration",
    "io.edgeloop.security.token.TokenStoreConfiguration",
    "io.edgeloop.security.EdgeloopSecurityAutoConfiguration",
    "io.edgeloop.security.apidocs.ApiDocsConfiguration",
    "io.edgeloop.storage.StorageAutoConfiguration"})
public class DeadLetteringService {
  final BlockingQueue<ReceivedEvent<RunFailed>> handled = new LinkedBlockingQueue<>();
  final AtomicBoolean poisoned = new AtomicBoolean(true);

  /** Starts the service as {@code name} (its dead-letter topic is {@code edgeloop.dlq.<name>}), consuming {@code topic}. */
  static ConfigurableApplicationContext start(String name, String bootstrap, String topic) {
    // Command-line arguments, not default properties: those rank below the messaging module's defaults.
    return new SpringApplicationBuilder(DeadLetteringService.class)
        .web(WebApplicationType.NONE)
        .run("--spring.application.name=" + name,
            "--spring.config.name=" + name,
            "--edgeloop.kafka.bootstrap-servers=" + bootstrap,
            "--edgeloop.database.embedded.enabled=false",
            "--spring.cloud.function.definition=handle",
            "--spring.cloud.stream.bindings.handle-in-0.destination=" + topic,
            "--spring.cloud.stream.bindings.handle-in-0.group=" + name);
  }

  void mend() {
    poisoned.set(false);
  }

  @Bean
  Consumer<Message<byte[]>> handle(EventReader reader) {
    return message -> reader.handle(message, RunFailed.class, event -> {
      if (poisoned.get()) {
        throw new PoisonEventException("run " + event.data().runId() + " names no experiment this service has");
      }
      handled.add(event);
    });
  }
}
