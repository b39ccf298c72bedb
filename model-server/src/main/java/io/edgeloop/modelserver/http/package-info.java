/** The Open Inference Protocol v2 REST routes, their HTTP/1.1 transport (Netty), and the server's readiness. */
package io.edgeloop.modelserver.http;
