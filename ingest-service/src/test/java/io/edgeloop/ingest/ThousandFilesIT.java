package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataRejected;
import io.edgeloop.storage.dataset.DatasetReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Slow-ish (about a minute): 1,000 small files dropped at once are all accounted for, versions plus rejections. */
class ThousandFilesIT extends IngestITSupport {

  @Test
  void shouldAccountForEveryOneOfAThousandFilesDroppedAtOnce() throws Exception {
    Path dir = share("bulk");
    Files.createDirectories(dir);
    for (int i = 0; i < 1000; i++) {
      // Every tenth file is ragged; each file is unique, so none is a duplicate.
      String content = i % 10 == 9 ? "n,x\n" + i + ",1\n" + i + "\n" : "n,x\n" + i + "," + (i * 0.5) + "\n";
      Files.writeString(dir.resolve(String.format("f%04d.csv", i)), content);
    }

    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() ->
        IngestEvents.landed("bulk").size() + IngestEvents.rejected("bulk").size() >= 1000);

    assertThat(IngestEvents.landed("bulk")).hasSize(900);
    assertThat(IngestEvents.rejected("bulk")).hasSize(100).extracting(r -> r.reasonCode().wire()).containsOnly("ragged_rows");
    assertThat(DatasetReader.of(store).latestVersion("bulk")).isEqualTo(900);
    assertThat(IngestEvents.landed("bulk").stream().map(e -> e.version()).distinct().count()).isEqualTo(900);
    await().atMost(Duration.ofSeconds(10)).until(() -> count(dir.resolve(".processed")) == 900 && count(dir.resolve(".quarantine")) == 200);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
    }
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
