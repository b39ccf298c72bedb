package io.edgeloop.packaging.smoke;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.image.BuiltImage;
import io.edgeloop.packaging.image.ImageLayout;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the pushed image by digest onto a Docker engine, runs it with its port published on
 * loopback, checks it (see {@link ServerCheck}), and removes the container and the pulled image
 * again, whatever the outcome. A failure carries the tail of the container's log.
 */
public final class DockerSmokeTest implements SmokeTest {
  private static final Logger log = LoggerFactory.getLogger(DockerSmokeTest.class);
  private static final ExposedPort SERVER_PORT = ExposedPort.tcp(ImageLayout.PORT);

  private final DockerClient docker;
  private final AuthConfig auth;
  private final ServerCheck check;
  private final Duration pullTimeout;

  /**
   * @param auth registry credentials for the pull, or null for anonymous
   */
  public DockerSmokeTest(DockerClient docker, AuthConfig auth, Duration readyTimeout, double tolerance) {
    this.docker = docker;
    this.auth = auth;
    this.check = new ServerCheck(readyTimeout, tolerance);
    this.pullTimeout = readyTimeout.multipliedBy(3);
  }

  @Override
  public void check(BuiltImage image, Path packageDir, ModelManifest manifest, String servedVersion)
      throws SmokeTestException, InterruptedException {
    String pinned = image.pinnedReference();
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      throw SmokeTestException.couldNotRun("no Docker engine reachable for the smoke test (" + e.getMessage()
          + "); set edgeloop.packaging.smoke-test=in-process where there is none", e);
    }
    String containerId = null;
    try {
      var pull = docker.pullImageCmd(pinned.substring(0, pinned.indexOf('@'))).withTag(image.digest());
      if (auth != null) {
        pull.withAuthConfig(auth);
      }
      if (!pull.exec(new PullImageResultCallback()).awaitCompletion(pullTimeout.toSeconds(), TimeUnit.SECONDS)) {
        throw SmokeTestException.couldNotRun("pulling " + pinned + " took longer than " + pullTimeout, null);
      }
      containerId = docker.createContainerCmd(pinned)
          .withExposedPorts(SERVER_PORT)
          .withLabels(Map.of("io.edgeloop.smoke-test", image.reference()))
          .withHostConfig(HostConfig.newHostConfig()
              .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), SERVER_PORT)))
          .exec()
          .getId();
      docker.startContainerCmd(containerId).exec();
      String id = containerId;
      Ports.Binding[] bindings = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings()
          .get(SERVER_PORT);
      if (bindings == null || bindings.length == 0) {
        throw new SmokeTestException("the container's port " + ImageLayout.PORT + " was not published");
      }
      URI server = URI.create("http://127.0.0.1:" + bindings[0].getHostPortSpec());
      try {
        check.run(server, manifest, servedVersion, () -> running(id));
      } catch (SmokeTestException e) {
        throw new SmokeTestException(e.getMessage() + "; container log: " + logTail(id), e);
      }
    } catch (RuntimeException e) {
      // The engine failed a call (it went away, the pull from the registry failed): the image was not judged.
      throw SmokeTestException.couldNotRun("the Docker engine failed the smoke test of " + pinned + ": " + e.getMessage(), e);
    } finally {
      cleanUp(containerId, pinned);
    }
  }

  private boolean running(String containerId) {
    InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
    return Boolean.TRUE.equals(state.getRunning());
  }

  private String logTail(String containerId) throws InterruptedException {
    StringBuilder out = new StringBuilder();
    try {
      docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(15)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            }
          })
          .awaitCompletion(10, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      return "(unavailable: " + e.getMessage() + ")";
    }
    return out.toString().strip();
  }

  private void cleanUp(String containerId, String pinned) {
    try {
      if (containerId != null) {
        docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
      }
      docker.removeImageCmd(pinned).withForce(true).exec();
    } catch (RuntimeException e) {
      log.warn("cleaning up after the smoke test of {} failed: {}", pinned, e.getMessage());
    }
  }

  @Override
  public String name() {
    return "docker";
  }
}
