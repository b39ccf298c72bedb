package io.edgeloop.deploy.web;

import io.edgeloop.security.test.EndpointRolesContract;

/** Every deploy-service endpoint names its role; 401 without a token, 403 with too small a role (see the contract). */
class EndpointRolesTest extends DeployApiSupport implements EndpointRolesContract {}
