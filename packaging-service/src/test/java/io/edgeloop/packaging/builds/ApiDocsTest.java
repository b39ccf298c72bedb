package io.edgeloop.packaging.builds;

import io.edgeloop.security.test.ApiDocsContract;

/** The packaging-service's OpenAPI document: title, version, tags by resource, a summary and role per operation. */
class ApiDocsTest extends PackagingApiSupport implements ApiDocsContract {}
