/** The model server's entry points: embeddable {@link io.edgeloop.modelserver.ModelServer}, its configuration and the standalone main. */
package io.edgeloop.modelserver;
