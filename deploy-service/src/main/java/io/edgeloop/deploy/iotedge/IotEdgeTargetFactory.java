package io.edgeloop.deploy.iotedge;

import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClient;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClientOptions;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetSpec;
import java.net.InetSocketAddress;
import java.net.Proxy;

/** Builds {@code iotedge} targets with the Azure IoT service SDK's ConfigurationsClient. */
public class IotEdgeTargetFactory implements TargetFactory {
  public static final String KIND = "iotedge";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public DeploymentTarget create(TargetSpec spec) {
    IotEdgeSettings settings = IotEdgeSettings.of(spec);
    return new IotEdgeTarget(spec, settings, client(settings));
  }

  /** A client with short timeouts (an absent hub should make a rollout pending quickly); null without a connection string. */
  public static ConfigurationsClient client(IotEdgeSettings settings) {
    if (settings.connectionString() == null || settings.connectionString().isBlank()) {
      return null;
    }
    var options = ConfigurationsClientOptions.builder().httpConnectTimeoutSeconds(5).httpReadTimeoutSeconds(30);
    if (settings.httpProxy() != null) {
      String[] hostPort = settings.httpProxy().split(":");
      options.proxyOptions(new ProxyOptions(new Proxy(Proxy.Type.HTTP,
          new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))));
    }
    return new ConfigurationsClient(settings.connectionString(), options.build());
  }
}
