/** The REST API under /api: the datasets the service has stored, their versions and manifests. */
package io.edgeloop.ingest.web;
