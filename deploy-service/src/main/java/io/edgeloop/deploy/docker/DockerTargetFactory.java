package io.edgeloop.deploy.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.edgeloop.deploy.smoke.OipSmokeTest;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Builds {@code docker} targets: a docker-java client (Apache HttpClient 5 transport) and the stable-port proxy. */
public class DockerTargetFactory implements TargetFactory {
  public static final String KIND = "docker";
  private final StackId stack;

  public DockerTargetFactory(StackId stack) {
    this.stack = stack;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public DeploymentTarget create(TargetSpec spec) {
    DockerSettings settings = DockerSettings.of(spec);
    try {
      SwitchingProxy proxy = new SwitchingProxy(spec.name(), settings.bindAddress(), settings.port());
      return new DockerTarget(spec, stack, settings, client(settings), proxy, new OipSmokeTest());
    } catch (IOException e) {
      throw new UncheckedIOException("target " + spec.name() + ": cannot listen on "
          + settings.bindAddress() + ":" + settings.port(), e);
    }
  }

  /** A client for {@code settings.host()}, with short connect timeouts so an absent engine is noticed quickly. */
  public static DockerClient client(DockerSettings settings) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.host().toString())
        .withApiVersion(settings.apiVersion())
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(16)
        .connectionTimeout(Duration.ofSeconds(3))
        .responseTimeout(settings.requestTimeout())
        .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
