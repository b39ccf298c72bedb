/** Operations tooling of edgeloop: checks that the dashboards and alert rules in {@code infra/} work against a real Prometheus. */
package io.edgeloop.infra;
