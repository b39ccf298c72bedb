package io.edgeloop.deploy.web;

import io.edgeloop.security.test.ApiDocsContract;

/** The deploy-service's OpenAPI document: title, version, tags by resource, a summary and role per operation. */
class ApiDocsTest extends DeployApiSupport implements ApiDocsContract {}
