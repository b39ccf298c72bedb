package io.edgeloop.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.ImageBuildFailed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.PromotionCause;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code events tail} names every event type in words, the two newest included (not a record's toString). */
class EventTextTest {
  @Test
  void shouldDescribeAFailedBuildWithItsReason() {
    String line = EventText.describe(new ImageBuildFailed("turbofan-rul", 3, BuildFailureReason.values()[0], "registry said no", 4, Instant.EPOCH));
    assertThat(line).isEqualTo("image FAILED     turbofan-rul v3 after 4 attempt(s): " + BuildFailureReason.values()[0].wire() + " registry said no");
  }

  @Test
  void shouldDescribeAliasChanges() {
    assertThat(EventText.describe(new ModelPromoted("m", "champion", 2, 1, AliasChange.ASSIGNED, PromotionCause.values()[0], 7, Instant.EPOCH)))
        .isEqualTo("alias set        m champion -> v2 (was v1) (" + PromotionCause.values()[0].wire() + ")");
    assertThat(EventText.describe(new ModelPromoted("m", "champion", 2, 2, AliasChange.REMOVED, PromotionCause.values()[0], 8, Instant.EPOCH)))
        .startsWith("alias removed    m champion (was v2");
  }
}
