/** Deployment targets: their configuration, the one interface every kind implements, and the registry that builds them. */
package io.edgeloop.deploy.target;
