/** The REST API under /api: runs, metrics, logs, artifacts, experiments, models, versions, aliases and API tokens. */
package io.edgeloop.training.web;
