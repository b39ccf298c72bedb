/** Kafka bindings of the deploy-service: function beans that read events and delegate to the feature services. */
package io.edgeloop.deploy.messaging;
