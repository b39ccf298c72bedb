/** Model families, their documented random search spaces, metrics, validation splits and the trial loop. */
package io.edgeloop.automl.search;
