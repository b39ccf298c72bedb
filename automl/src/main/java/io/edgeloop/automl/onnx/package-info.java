/** ONNX graph writing (tree ensembles and linear models) and the ONNX Runtime parity check. */
package io.edgeloop.automl.onnx;
