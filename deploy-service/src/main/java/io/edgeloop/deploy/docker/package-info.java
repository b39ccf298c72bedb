/** Docker hosts as targets: docker-java rollouts behind a stable loopback port owned by an in-process TCP proxy. */
package io.edgeloop.deploy.docker;
