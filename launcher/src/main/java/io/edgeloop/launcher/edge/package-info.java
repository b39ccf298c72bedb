/** What one-command mode can use at the edge on this machine (Docker engine, registry, jlink) and the service settings that follow from it. */
package io.edgeloop.launcher.edge;
