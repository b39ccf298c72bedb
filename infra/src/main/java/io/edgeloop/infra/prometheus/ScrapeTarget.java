package io.edgeloop.infra.prometheus;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One endpoint for Prometheus to scrape, as a {@code file_sd} entry.
 *
 * @param address {@code host:port}
 * @param labels target labels, e.g. {@code service=ingest-service} (shown on the dashboards)
 */
public record ScrapeTarget(String address, Map<String, String> labels) {

  public ScrapeTarget {
    Objects.requireNonNull(address, "address");
    if (!address.matches("[^/\\s:]+:\\d+")) {
      throw new IllegalArgumentException("address must be host:port, was " + address);
    }
    labels = Map.copyOf(labels);
  }

  /** The target behind a base URL such as {@code http://127.0.0.1:8081}, with one label. */
  public static ScrapeTarget of(URI baseUrl, String labelName, String labelValue) {
    return new ScrapeTarget(baseUrl.getHost() + ":" + baseUrl.getPort(), Map.of(labelName, labelValue));
  }
}
