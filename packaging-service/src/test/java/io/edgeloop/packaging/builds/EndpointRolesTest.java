package io.edgeloop.packaging.builds;

import io.edgeloop.security.test.EndpointRolesContract;

/** Every packaging-service endpoint names its role; 401 without a token, 403 with too small a role (see the contract). */
class EndpointRolesTest extends PackagingApiSupport implements EndpointRolesContract {}
