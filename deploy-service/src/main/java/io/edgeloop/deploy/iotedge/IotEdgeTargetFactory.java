package io.edgeloop.deploy.iotedge;

import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClient;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClientOptions;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryClientOptions;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetSpec;
import java.net.InetSocketAddress;
import java.net.Proxy;

/** Builds {@code iotedge} targets with the Azure IoT service SDK (configurations for layers, twin queries for device reports). */
public class IotEdgeTargetFactory implements TargetFactory {
  public static final String KIND = "iotedge";
  private final StackId stack;

  public IotEdgeTargetFactory(StackId stack) {
    this.stack = stack;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public DeploymentTarget create(TargetSpec spec) {
    IotEdgeSettings settings = IotEdgeSettings.of(spec);
    String connection = settings.connectionString();
    if (connection == null || connection.isBlank()) {
      return new IotEdgeTarget(spec, stack, settings, null, null);
    }
    // Short timeouts: an absent hub should make a rollout pending quickly.
    ProxyOptions proxy = proxy(settings);
    var configurations = ConfigurationsClientOptions.builder().httpConnectTimeoutSeconds(5).httpReadTimeoutSeconds(30);
    var queries = QueryClientOptions.builder().httpConnectTimeoutSeconds(5).httpReadTimeoutSeconds(30);
    if (proxy != null) {
      configurations.proxyOptions(proxy);
      queries.proxyOptions(proxy);
    }
    return new IotEdgeTarget(spec, stack, settings, new ConfigurationsClient(connection, configurations.build()),
        new QueryClient(connection, queries.build()));
  }

  private static ProxyOptions proxy(IotEdgeSettings settings) {
    if (settings.httpProxy() == null) {
      return null;
    }
    String[] hostPort = settings.httpProxy().split(":");
    return new ProxyOptions(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
  }
}
