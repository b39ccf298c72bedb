/** The ONNX Runtime adapter: one session, its signature, and conversion between tensors and ONNX values. */
package io.edgeloop.modelserver.model;
