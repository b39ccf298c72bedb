package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.ModelPackageMother;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry credentials go to the registry images are pushed to, never to the registry of a base
 * image (issue 12): a base registry that asks every request for basic credentials (a server of the
 * test's, as the local registry has no authentication) records what it is sent, with Jib
 * allowed to send credentials over plain HTTP so that nothing but the builder's choice holds them back.
 */
class RegistryCredentialsIT {
  private static final String SEND_OVER_HTTP = "sendCredentialsOverHttp";
  @TempDir Path dir;
  private ServerSocket baseRegistry;

  @AfterEach
  void stop() throws Exception {
    if (baseRegistry != null) {
      baseRegistry.close();
    }
    System.clearProperty(SEND_OVER_HTTP);
  }

  @Test
  void shouldNotSendTheTargetRegistrysCredentialsToTheBaseImagesRegistry() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    baseRegistry = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread registry = new Thread(() -> answerEveryRequestWith401(authorizations), "base-registry");
    registry.setDaemon(true);
    registry.start();
    String base = "127.0.0.1:" + baseRegistry.getLocalPort() + "/base/jre:17";
    String password = "target-only-" + UUID.randomUUID();
    ServerLayers server = new ServerLayers(Infrastructure.serverLibDir(), null, new LinuxOnlyOnnxRuntime(Infrastructure.cacheDir().resolve("onnxruntime")));
    JibImageBuilder builder = new JibImageBuilder(new ImageLayout(base, null, server),
        new JibImageBuilder.Settings("edgeloop", password, true, dir.resolve("jib")));
    ModelManifest m1 = ModelPackageMother.linear(dir.resolve("v1"), "toy", 1, 2f, -0.5f, 1f);
    ModelTrained v1 = ModelPackageMother.trained(m1, dir.resolve("v1"), true);
    System.setProperty(SEND_OVER_HTTP, "true");

    assertThatThrownBy(() -> builder.build(JibImageBuilderTestSupport.request("it-credentials", v1, dir.resolve("v1"))))
        .isInstanceOf(ImageBuildException.class);

    assertThat(authorizations).as("the base registry was asked").isNotEmpty();
    assertThat(authorizations).as("what the base registry was sent").allMatch(a -> a.equals("(none)"));
  }

  /**
   * A registry that wants basic credentials for everything, noting the {@code Authorization} header
   * of each request. Jib tries HTTPS first: a TLS hello gets an HTTP 400, as a plain-HTTP registry
   * answers it, so that Jib falls back to HTTP at once.
   */
  private void answerEveryRequestWith401(List<String> authorizations) {
    while (!baseRegistry.isClosed()) {
      try (Socket socket = baseRegistry.accept()) {
        PushbackInputStream raw = new PushbackInputStream(socket.getInputStream());
        int first = raw.read();
        OutputStream out = socket.getOutputStream();
        if (first == 0x16) { // a TLS handshake record
          out.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          continue;
        }
        if (first < 0) {
          continue;
        }
        raw.unread(first);
        BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.ISO_8859_1));
        String authorization = "(none)";
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          if (line.regionMatches(true, 0, "Authorization:", 0, 14)) {
            authorization = line.substring(14).strip();
          }
        }
        authorizations.add(authorization);
        out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"base\"\r\n"
            + "Docker-Distribution-API-Version: registry/2.0\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // closed at the end of the test, or a client that went away: next
      }
    }
  }
}
