/** The tracking store: run params, tags, metric history and logs. */
package io.edgeloop.training.tracking;
