/** The {@code edgeloop} command: one-command mode, the demo, and a CLI over the services' REST APIs. */
package io.edgeloop.launcher;
