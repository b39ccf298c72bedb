/** The Open Inference Protocol v2 REST routes over the JDK HTTP server, and the server's readiness. */
package io.edgeloop.modelserver.http;
