package io.edgeloop.deploy.iotedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.service.configurations.Configuration;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationContent;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationMetrics;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClient;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices managed by Azure IoT Hub. A rollout adds a <em>layered</em> deployment (an IoT Hub
 * configuration with a target condition and a priority) that sets only edgeloop's module, route and
 * module twin, so a device keeps its base deployment and its other modules. Success is what the
 * devices report, not the hub accepting the layer: the rollout watches the layer's metrics and the
 * edgeAgent module twins of the devices it is applied to ({@link LayerHealth}) until every targeted
 * device runs the module with the new image. Then the older edgeloop layers of this target and
 * model are deleted. When a device reports the module failed, the new layer is deleted again: the
 * previous layer (kept until the new one is proven) applies again, or, on a first rollout, the
 * module goes away. Devices that do not report within {@code report-timeout} (offline) leave the
 * rollout pending; the next attempt finds the layer in place and only checks again.
 */
public class IotEdgeTarget implements DeploymentTarget {
  private static final Logger log = LoggerFactory.getLogger(IotEdgeTarget.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String LABEL_STACK = "edgeloop-stack";
  static final String LABEL_TARGET = "edgeloop-target";
  static final String LABEL_MODEL = "edgeloop-model";
  static final String LABEL_VERSION = "edgeloop-version";

  private final TargetSpec spec;
  private final StackId stack;
  private final IotEdgeSettings settings;
  private final ConfigurationsClient configurations;
  private final QueryClient query;

  /** @param configurations null when no connection string is configured: every rollout then stays pending */
  public IotEdgeTarget(TargetSpec spec, StackId stack, IotEdgeSettings settings, ConfigurationsClient configurations,
      QueryClient query) {
    this.spec = spec;
    this.stack = stack;
    this.settings = settings;
    this.configurations = configurations;
    this.query = query;
  }

  @Override
  public TargetSpec spec() {
    return spec;
  }

  @Override
  public boolean reachable() {
    if (configurations == null) {
      return false;
    }
    try {
      configurations.get(1);
      return true;
    } catch (IOException | IotHubException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void deploy(Release release) throws TargetUnreachableException, RolloutFailedException {
    if (configurations == null) {
      throw new TargetUnreachableException("iotedge target " + spec.name()
          + " has no IoT Hub connection string (connection.connection-string or EDGELOOP_IOTHUB_CONNECTION_STRING)", null);
    }
    String id = configurationId(release);
    String module = EdgeManifest.moduleName(release.modelName());
    try {
      if (find(id) == null) {
        configurations.create(layer(id, release, module));
        log.info("target {}: layered deployment {} created for {} v{} ({}, priority {})", spec.name(), id,
            release.modelName(), release.modelVersion(), settings.deploymentCondition(), settings.priority());
      }
      Instant deadline = Instant.now().plus(settings.reportTimeout());
      while (true) {
        LayerHealth.Verdict verdict = health(id, module, release.pinnedImage());
        if (verdict instanceof LayerHealth.Serving serving) {
          int retired = retireOlderLayers(id, module);
          log.info("target {}: {} v{} runs on every targeted device ({}); {} older layer(s) deleted", spec.name(),
              release.modelName(), release.modelVersion(), serving.summary(), retired);
          return;
        }
        if (verdict instanceof LayerHealth.Failed failed) {
          configurations.delete(id);
          boolean previous = !olderLayers(id, module).isEmpty();
          throw new RolloutFailedException(failed.reason() + "; layer " + id + " deleted, "
              + (previous ? "the previous layer applies again" : "the module is removed from the devices"));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new TargetUnreachableException("the devices have not reported " + release.modelName() + " v"
              + release.modelVersion() + " within " + settings.reportTimeout().toSeconds() + " s ("
              + ((LayerHealth.Waiting) verdict).progress() + "); checking again later", null);
        }
        Thread.sleep(settings.pollInterval().toMillis());
      }
    } catch (IOException e) {
      throw new TargetUnreachableException("IoT Hub not reachable: " + e, e);
    } catch (IotHubException e) {
      throw new RolloutFailedException("IoT Hub refused the layered deployment " + id + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RolloutFailedException("interrupted while waiting for the devices' reports");
    }
  }

  private Configuration layer(String id, Release release, String module) {
    ConfigurationContent content = new ConfigurationContent();
    content.setModulesContent(EdgeManifest.layer(release, settings, stack));
    Configuration configuration = new Configuration(id);
    configuration.setContent(content);
    configuration.setTargetCondition(settings.deploymentCondition());
    configuration.setPriority(settings.priority());
    HashMap<String, String> labels = new HashMap<>();
    labels.put(LABEL_STACK, stack.value());
    labels.put(LABEL_TARGET, spec.name());
    labels.put(LABEL_MODEL, module);
    labels.put(LABEL_VERSION, Integer.toString(release.modelVersion()));
    configuration.setLabels(labels);
    ConfigurationMetrics metrics = new ConfigurationMetrics();
    String applied = "SELECT deviceId FROM devices.modules WHERE moduleId = '$edgeAgent' AND configurations.[[" + id
        + "]].status = 'Applied' AND properties.reported.modules." + module + ".settings.image = '" + release.pinnedImage() + "'";
    String status = " AND properties.reported.modules." + module + ".runtimeStatus = ";
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put(LayerHealth.RUNNING, applied + status + "'running'");
    queries.put(LayerHealth.FAILED, applied + " AND (properties.reported.modules." + module + ".runtimeStatus = 'failed'"
        + " OR properties.reported.modules." + module + ".runtimeStatus = 'backoff')");
    metrics.setQueries(queries);
    configuration.setMetrics(metrics);
    return configuration;
  }

  private LayerHealth.Verdict health(String id, String module, String pinnedImage) throws IOException, IotHubException {
    Configuration layer = configurations.get(id);
    List<EdgeAgentReport> reports = new ArrayList<>();
    TwinQueryResponse twins = query.queryTwins("SELECT * FROM devices.modules WHERE moduleId = '$edgeAgent' AND configurations.[["
        + id + "]].status = 'Applied'");
    while (twins.hasNext()) {
      Twin twin = twins.next();
      JsonNode reported = JSON.readTree(twin.getReportedProperties().toJsonObject().toString());
      reports.add(EdgeAgentReport.of(twin.getDeviceId(), reported, module));
    }
    return LayerHealth.judge(results(layer.getSystemMetrics()), results(layer.getMetrics()), reports, pinnedImage);
  }

  private static Map<String, Long> results(ConfigurationMetrics metrics) {
    return metrics == null || metrics.getResults() == null ? Map.of() : metrics.getResults();
  }

  private Configuration find(String id) throws IOException, IotHubException {
    try {
      return configurations.get(id);
    } catch (IotHubNotFoundException absent) {
      return null;
    }
  }

  /** Earlier edgeloop layers of this stack, target and module (not {@code id}). */
  private List<Configuration> olderLayers(String id, String module) throws IOException, IotHubException {
    return configurations.get(100).stream()
        .filter(c -> !c.getId().equals(id) && c.getLabels() != null)
        .filter(c -> stack.value().equals(c.getLabels().get(LABEL_STACK)) && spec.name().equals(c.getLabels().get(LABEL_TARGET))
            && module.equals(c.getLabels().get(LABEL_MODEL)))
        .toList();
  }

  private int retireOlderLayers(String id, String module) throws IOException, IotHubException {
    List<Configuration> older = olderLayers(id, module);
    for (Configuration layer : older) {
      configurations.delete(layer.getId());
    }
    return older.size();
  }

  /** IoT Hub configuration ids: lower case, at most 128 characters; one per stack, target, model version and digest. */
  String configurationId(Release release) {
    String id = ("edgeloop-" + spec.name() + "-" + release.modelName() + "-v" + release.modelVersion() + "-"
        + release.digest().substring(7, 19) + "-" + Integer.toHexString(stack.value().hashCode()))
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return id.length() > 128 ? id.substring(id.length() - 128) : id;
  }
}
