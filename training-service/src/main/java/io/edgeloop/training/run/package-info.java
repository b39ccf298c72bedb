/** Runs: their lifecycle, persistence, execution on compute targets, cancellation, timeouts and crash recovery. */
package io.edgeloop.training.run;
