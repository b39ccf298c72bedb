/** The deploy-service: its application class; features live in sub-packages. */
package io.edgeloop.deploy;
