/** The experiment spec (YAML) and its validation against a table. */
package io.edgeloop.automl.spec;
