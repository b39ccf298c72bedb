package io.edgeloop.ingest.web;

import io.edgeloop.security.test.ApiDocsContract;

/** The ingest-service's OpenAPI document: title, version, tags by resource, a summary and role per operation. */
class ApiDocsTest extends IngestApiSupport implements ApiDocsContract {}
