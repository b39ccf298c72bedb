/** Kafka bindings of the training-service: function beans that read events and delegate to the feature services. */
package io.edgeloop.training.messaging;
