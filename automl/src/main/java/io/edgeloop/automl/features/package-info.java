/** Turns a table and a spec into the feature matrix and target, through the shared FeaturePipeline. */
package io.edgeloop.automl.features;
