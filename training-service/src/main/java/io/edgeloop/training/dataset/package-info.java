/** Dataset versions announced by DataLanded, and fetching their files for a run. */
package io.edgeloop.training.dataset;
