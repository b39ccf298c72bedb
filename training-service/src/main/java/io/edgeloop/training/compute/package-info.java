/** Compute targets that execute script runs: this host and Docker engines. */
package io.edgeloop.training.compute;
