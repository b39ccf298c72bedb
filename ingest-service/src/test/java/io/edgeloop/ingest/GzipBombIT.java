package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataRejected;
import io.edgeloop.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gzip bombs against a service in its own JVM with a 256 MB heap: 2 GiB of one line (which the
 * line-by-line reader of old held as one String until the JVM ran out of memory, and retried
 * forever), and 2 GiB of lines past the decompressed-size limit. Both are quarantined with their
 * reason after reading a little of them, and the service stays healthy and keeps ingesting.
 */
class GzipBombIT {
  @TempDir Path dir;
  private IngestProcess service;

  @AfterEach
  void stop() throws InterruptedException {
    if (service != null) {
      service.kill();
    }
  }

  @Test
  void shouldQuarantineGzipBombsInBoundedMemoryAndStayHealthy() throws Exception {
    String dataset = "bomb-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    int port = FreePorts.next();
    IngestEvents.start();
    service = IngestProcess.start(dir.resolve("data"), dataset, share, List.of(),
        List.of("--server.port=" + port, "--edgeloop.ingest.limits.max-decompressed-size=512MB"), dir.resolve("service.log"));
    await().atMost(Duration.ofSeconds(240)).until(() -> health(port) == 200 || !service.isAlive());
    assertThat(service.isAlive()).as("service died:\n%s", service.tail()).isTrue();

    drop(share, "one-line.txt.gz", bomb(false));
    DataRejected line = awaitRejected(dataset, "one-line.txt.gz");
    assertThat(line.reasonCode().wire()).as(line.message()).isEqualTo("line_too_long");
    assertThat(line.message()).startsWith("line 1 ");

    drop(share, "many-lines.txt.gz", bomb(true));
    DataRejected lines = awaitRejected(dataset, "many-lines.txt.gz");
    assertThat(lines.reasonCode().wire()).as(lines.message()).isEqualTo("too_large");
    assertThat(lines.message()).contains("decompresses to more than the limit of 536870912 bytes");

    assertThat(service.isAlive()).as("service died:\n%s", service.tail()).isTrue();
    assertThat(health(port)).isEqualTo(200);
    drop(share, "good.txt", CmapssMother.text(1, 20, 1).getBytes());
    await().atMost(Duration.ofSeconds(60)).until(() -> !IngestEvents.landed(dataset).isEmpty());
    assertThat(IngestEvents.landed(dataset).get(0).rows()).isEqualTo(20);
    assertThat(service.log()).doesNotContain("OutOfMemoryError");
    assertThat(share.resolve(".quarantine/one-line.txt.gz")).exists();
    assertThat(share.resolve(".quarantine/many-lines.txt.gz")).exists();
  }

  private DataRejected awaitRejected(String dataset, String item) throws IOException {
    await().atMost(Duration.ofSeconds(240)).until(() -> !service.isAlive()
        || IngestEvents.rejected(dataset).stream().anyMatch(e -> e.source().item().equals(item)));
    return IngestEvents.rejected(dataset).stream().filter(e -> e.source().item().equals(item)).findFirst()
        .orElseThrow(() -> new AssertionError("no DataRejected for " + item + "; the service's log ends:\n" + tail()));
  }

  private String tail() {
    try {
      return service.tail();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int health(int port) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** 32 gzip members of 64 MiB each ('1' without a line end, or empty lines): about 2 MB that inflate to 2 GiB. */
  private static byte[] bomb(boolean lineEnds) throws IOException {
    byte[] plain = new byte[64 << 20];
    Arrays.fill(plain, lineEnds ? (byte) '\n' : (byte) '1');
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(member, 1 << 16)) {
      gz.write(plain);
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < 32; i++) {
      member.writeTo(all);
    }
    return all.toByteArray();
  }

  private static void drop(Path share, String name, byte[] content) throws IOException {
    Path tmp = share.resolve("." + name + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, share.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }
}
