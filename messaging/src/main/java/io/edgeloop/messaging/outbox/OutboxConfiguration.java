package io.edgeloop.messaging.outbox;

import io.edgeloop.contracts.EventSchemas;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.messaging.MessagingConfiguration;
import io.edgeloop.messaging.MessagingProperties;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import io.edgeloop.messaging.loop.PollLoops;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox and the consumer dedupe of a service whose schema has the {@code outbox}
 * and {@code processed_event} tables (each service's own Flyway migration creates them, see
 * {@code docs/design.md}); on when {@code edgeloop.messaging.outbox.enabled=true}.
 */
@AutoConfiguration(after = {MessagingConfiguration.class, JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class})
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnProperty(name = "edgeloop.messaging.outbox.enabled", havingValue = "true")
public class OutboxConfiguration {

  @Bean
  OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, EventPublisher publisher, PollLoops loops,
      MessagingProperties properties, @Value("${spring.application.name}") String service, ObjectProvider<MeterRegistry> meters) {
    return new OutboxRelay(jdbc, tx, publisher, loops, properties.outbox().sweepInterval(), service,
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  Outbox outbox(JdbcTemplate jdbc, OutboxRelay relay, MessagingProperties properties) {
    return new Outbox(jdbc, relay, new EventSchemas(), properties.maxEventBytes());
  }

  @Bean
  ProcessedEvents processedEvents(JdbcTemplate jdbc) {
    return new ProcessedEvents(jdbc);
  }
}
