/** Test-only hold points for the crash tests, off unless a system property turns one on. */
package io.edgeloop.messaging.crash;
