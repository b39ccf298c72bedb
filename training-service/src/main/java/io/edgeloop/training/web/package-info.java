/** The REST API under /api: runs, metrics, logs, artifacts, experiments, models, versions and aliases. */
package io.edgeloop.training.web;
