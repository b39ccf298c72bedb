package io.edgeloop.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ids come from natural keys: the same fact announced twice has one id, different facts differ. */
class EventIdentityTest {
  private final EventCodec codec = new EventCodec();

  @Test
  void shouldGiveTheSameFactTheSameIdEvenWhenAnnouncedAgainLater() {
    DataLanded first = EventMother.dataLanded();
    DataLanded again =
        new DataLanded(first.dataset(), first.version(), first.uris(), first.format(), first.schema(), first.rows(),
            first.bytes(), first.sha256(), first.source(), first.landedAt().plusSeconds(60));

    String id = codec.encode(first, URI.create("urn:edgeloop:a")).getId();

    assertThat(codec.encode(again, URI.create("urn:edgeloop:b")).getId()).isEqualTo(id);
    assertThat(EventCodec.eventId(first)).isEqualTo(id);
  }

  @Test
  void shouldGiveDifferentFactsDifferentIds() {
    ModelDeployed deployed = EventMother.modelDeployed();
    ModelDeployed rolledBack =
        new ModelDeployed(deployed.target(), deployed.targetKind(), deployed.modelName(), deployed.modelVersion(),
            deployed.imageDigest(), DeploymentOutcome.ROLLED_BACK, deployed.previousVersion(), "health check failed",
            deployed.deploymentId(), deployed.deployedAt());
    ModelPromoted promoted = EventMother.modelPromoted();
    ModelPromoted promotedAgainLater =
        new ModelPromoted(promoted.modelName(), promoted.alias(), promoted.modelVersion(), promoted.previousVersion(),
            promoted.change(), PromotionCause.MANUAL, promoted.sequence() + 1, Instant.EPOCH);

    Set<String> ids = new HashSet<>();
    for (EdgeloopEvent event : List.<EdgeloopEvent>of(deployed, rolledBack, promoted, promotedAgainLater)) {
      ids.add(EventCodec.eventId(event));
    }
    EventMother.oneOfEach().forEach(e -> ids.add(EventCodec.eventId(e)));

    assertThat(ids).hasSize(4 + EventMother.oneOfEach().size() - 2);
  }

  @Test
  void shouldNotConfuseTwoTypesThatShareANaturalKey() {
    RunRequested requested = EventMother.runRequested();
    RunFailed failed = EventMother.runFailed();

    assertThat(requested.naturalKey()).isEqualTo(failed.naturalKey());
    assertThat(EventCodec.eventId(requested)).isNotEqualTo(EventCodec.eventId(failed));
  }
}
