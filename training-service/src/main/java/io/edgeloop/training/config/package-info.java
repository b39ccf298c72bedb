/** Configuration of the training-service: properties and adapter wiring. */
package io.edgeloop.training.config;
