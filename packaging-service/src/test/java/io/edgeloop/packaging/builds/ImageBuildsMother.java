package io.edgeloop.packaging.builds;

import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventSchemas;
import io.edgeloop.contracts.EventType;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.imagetrust.ImageSigner;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.messaging.outbox.Outbox;
import io.edgeloop.messaging.outbox.OutboxRelay;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.PackagingDatabase;
import io.edgeloop.packaging.config.PackagingProperties;
import io.edgeloop.packaging.image.ImageBuilder;
import io.edgeloop.packaging.image.JibImageBuilderTestSupport;
import io.edgeloop.packaging.smoke.NoSmokeTest;
import io.edgeloop.packaging.smoke.SmokeTest;
import io.edgeloop.storage.LocalArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The build parts wired from real pieces (a real PostgreSQL with the service's migrations, the
 * shared outbox, the jlinked runtime, the local store), configured like the service. The outbox is
 * not relayed here: a test reads what would be announced from the table itself.
 */
final class ImageBuildsMother {
  static final KeyPair KEYS = SigningKeys.generate();

  private ImageBuildsMother() {}

  /** Properties bound exactly as Spring binds {@code edgeloop.packaging.*}, defaults included. */
  static PackagingProperties properties(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>();
    overrides.forEach((k, v) -> all.put("edgeloop.packaging." + k, v));
    return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("edgeloop.packaging", PackagingProperties.class);
  }

  /** One "instance" of the service on {@code db}. */
  record Instance(PackagingProperties properties, DataSource db, JdbcTemplate jdbc, BuildRepository repository,
      BuildRequests requests, ImageBuilds builds) {

    /** The payloads of the outbox rows of {@code type}, oldest first. */
    List<String> outbox(EventType type) {
      return jdbc.queryForList("select payload from outbox where event_type = ? order by id", String.class, type.type());
    }

    BuildRecord record(String model, int version) {
      return repository.find(model, version).orElseThrow();
    }
  }

  static Instance instance(PackagingProperties p, DataSource db, Path work, MeterRegistry meters) throws IOException {
    return instance(p, db, work, meters, JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir()), new NoSmokeTest());
  }

  static Instance instance(PackagingProperties p, DataSource db, Path work, MeterRegistry meters, ImageBuilder builder,
      SmokeTest smokeTest) throws IOException {
    JdbcTemplate jdbc = new JdbcTemplate(db);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
    OutboxRelay relay = new OutboxRelay(jdbc, tx, null, new PollLoops(Duration.ofSeconds(1), Duration.ofMinutes(1)),
        Duration.ofSeconds(1), "packaging-service", meters); // never started: the test reads the table
    Outbox outbox = new Outbox(jdbc, relay, new EventSchemas(), 900 * 1024);
    BuildRepository repository = new BuildRepository(jdbc);
    BuildMetrics metrics = new BuildMetrics(meters);
    ImageBuilds builds = new ImageBuilds(p, repository, new PackageFetcher(new LocalArtifactStore(work.resolve("blobs"))),
        builder, new ImageSigner(RegistryClient.anonymous(), KEYS), smokeTest, outbox, tx, metrics, Clock.systemUTC());
    BuildRequests requests = new BuildRequests(p, repository, new ProcessedEvents(jdbc), tx, metrics, () -> {});
    return new Instance(p, db, jdbc, repository, requests, builds);
  }

  static DataSource database() {
    return PackagingDatabase.migrated();
  }

  /** {@code data} as the consumer receives it, with the id the codec gives it (from its natural key). */
  static <E extends EdgeloopEvent> ReceivedEvent<E> received(E data) {
    return new ReceivedEvent<>(EventCodec.eventId(data), data.eventType(), URI.create("urn:test:training"), null, data);
  }
}
