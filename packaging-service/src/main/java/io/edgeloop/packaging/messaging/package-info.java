/** Kafka bindings of the packaging-service: function beans that read events and delegate to the feature services. */
package io.edgeloop.packaging.messaging;
