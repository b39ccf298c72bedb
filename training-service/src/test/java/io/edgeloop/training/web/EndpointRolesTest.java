package io.edgeloop.training.web;

import io.edgeloop.security.test.EndpointRolesContract;

/** Every training-service endpoint names its role; 401 without a token, 403 with too small a role (see the contract). */
class EndpointRolesTest extends TrainingApiSupport implements EndpointRolesContract {}
