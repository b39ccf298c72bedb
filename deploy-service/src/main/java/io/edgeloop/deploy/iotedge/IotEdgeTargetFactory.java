package io.edgeloop.deploy.iotedge;

import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClient;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClientOptions;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.TargetFactory;
import io.edgeloop.deploy.target.TargetSpec;

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
    return new IotEdgeTarget(spec, settings, client(settings.connectionString()));
  }

  /** A client with short timeouts (an absent hub should make a rollout pending quickly); null without a connection string. */
  public static ConfigurationsClient client(String connectionString) {
    if (connectionString == null || connectionString.isBlank()) {
      return null;
    }
    return new ConfigurationsClient(connectionString,
        ConfigurationsClientOptions.builder().httpConnectTimeoutSeconds(5).httpReadTimeoutSeconds(30).build());
  }
}
