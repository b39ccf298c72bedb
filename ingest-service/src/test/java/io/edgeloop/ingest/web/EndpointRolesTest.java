package io.edgeloop.ingest.web;

import io.edgeloop.security.test.EndpointRolesContract;

/** Every ingest-service endpoint names its role; 401 without a token, 403 with too small a role (see the contract). */
class EndpointRolesTest extends IngestApiSupport implements EndpointRolesContract {}
