/** Runs every shipped dashboard and rule query against a Prometheus and reports which are invalid or show no data. */
package io.edgeloop.infra.check;
