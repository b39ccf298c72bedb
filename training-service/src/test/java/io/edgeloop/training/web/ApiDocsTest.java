package io.edgeloop.training.web;

import io.edgeloop.security.test.ApiDocsContract;

/** The training-service's OpenAPI document: title, version, tags by resource, a summary and role per operation. */
class ApiDocsTest extends TrainingApiSupport implements ApiDocsContract {}
