/** Project snapshots of script runs: ignore rules, size limits, path-traversal guards and the code hash. */
package io.edgeloop.training.snapshot;
