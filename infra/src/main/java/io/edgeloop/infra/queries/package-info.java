/** The PromQL queries of edgeloop's Grafana dashboards and Prometheus alert rules, read from the files in {@code infra/}. */
package io.edgeloop.infra.queries;
