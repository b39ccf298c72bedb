package io.edgeloop.deploy.iotedge;

import com.microsoft.azure.sdk.iot.service.configurations.Configuration;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationContent;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClient;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;

/**
 * Devices managed by Azure IoT Hub. A rollout applies the manifest to one device, or creates an
 * IoT Hub deployment (a configuration with a target condition) named for the model version. The
 * hub and the devices' edgeAgent do the rest: a device that is offline picks the manifest up when
 * it reconnects. Health is the edgeAgent's to report (module twin); this target does not watch it.
 */
public class IotEdgeTarget implements DeploymentTarget {
  private final TargetSpec spec;
  private final IotEdgeSettings settings;
  private final ConfigurationsClient client;

  /** @param client null when no connection string is configured: every rollout then stays pending */
  public IotEdgeTarget(TargetSpec spec, IotEdgeSettings settings, ConfigurationsClient client) {
    this.spec = spec;
    this.settings = settings;
    this.client = client;
  }

  @Override
  public TargetSpec spec() {
    return spec;
  }

  @Override
  public boolean reachable() {
    if (client == null) {
      return false;
    }
    try {
      client.get(1);
      return true;
    } catch (IOException | IotHubException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void deploy(Release release) throws TargetUnreachableException, RolloutFailedException {
    if (client == null) {
      throw new TargetUnreachableException("iotedge target " + spec.name()
          + " has no IoT Hub connection string (connection.connection-string or EDGELOOP_IOTHUB_CONNECTION_STRING)", null);
    }
    ConfigurationContent content = new ConfigurationContent();
    content.setModulesContent(EdgeManifest.modulesContent(release, settings));
    try {
      if (settings.deviceId() != null) {
        client.applyConfigurationContentOnDevice(settings.deviceId(), content);
      } else {
        Configuration configuration = new Configuration(configurationId(release));
        configuration.setContent(content);
        configuration.setTargetCondition(settings.targetCondition());
        configuration.setPriority(settings.priority());
        HashMap<String, String> labels = new HashMap<>();
        labels.put("edgeloop-target", spec.name());
        labels.put("edgeloop-model", EdgeManifest.moduleName(release.modelName()));
        configuration.setLabels(labels);
        client.create(configuration);
      }
    } catch (IOException e) {
      throw new TargetUnreachableException("IoT Hub not reachable: " + e, e);
    } catch (IotHubException e) {
      throw new RolloutFailedException("IoT Hub refused the deployment: " + e.getMessage(), e);
    }
  }

  /** IoT Hub configuration ids: lower case, at most 128 characters. */
  String configurationId(Release release) {
    String id = ("edgeloop-" + spec.name() + "-" + release.modelName() + "-v" + release.modelVersion() + "-"
        + release.digest().substring(7, 19)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return id.length() > 128 ? id.substring(0, 128) : id;
  }
}
