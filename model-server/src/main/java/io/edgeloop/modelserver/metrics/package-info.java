/** Prometheus metrics of the model server ({@code edgeloop_inference_*}, {@code edgeloop_model_info}). */
package io.edgeloop.modelserver.metrics;
