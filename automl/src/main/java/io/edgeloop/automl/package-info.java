/** The AutoML entry point: run an experiment spec over a table and get a model package. */
package io.edgeloop.automl;
