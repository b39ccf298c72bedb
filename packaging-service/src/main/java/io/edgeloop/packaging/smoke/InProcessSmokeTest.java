package io.edgeloop.packaging.smoke;

import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelserver.ModelServer;
import io.edgeloop.modelserver.ModelServerConfig;
import io.edgeloop.modelserver.model.ModelLoadException;
import io.edgeloop.packaging.image.BuiltImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * For hosts without a Docker engine: runs the model server in this JVM on the package (any free
 * loopback port) and checks it. It proves the package and the server version work, not the image
 * itself (its runtime layers are not exercised).
 */
public final class InProcessSmokeTest implements SmokeTest {
  private final ServerCheck check;
  private final Duration readyTimeout;

  public InProcessSmokeTest(Duration readyTimeout, double tolerance) {
    this.check = new ServerCheck(readyTimeout, tolerance);
    this.readyTimeout = readyTimeout;
  }

  @Override
  public void check(BuiltImage image, Path packageDir, ModelManifest manifest, String servedVersion)
      throws SmokeTestException, InterruptedException {
    ModelServerConfig config = ModelServerConfig.of(packageDir).withPort(0).withThreads(2).withDrainTimeout(Duration.ZERO)
        .withModelVersion(servedVersion);
    try (ModelServer server = ModelServer.start(config)) {
      server.awaitReady(readyTimeout);
      check.run(server.uri(), manifest, servedVersion, () -> true);
    } catch (ModelLoadException e) {
      throw new SmokeTestException("the model server cannot load the package: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SmokeTestException("the in-process model server did not start: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "in-process";
  }
}
