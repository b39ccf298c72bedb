/** The model package format (ONNX graph plus manifest) and the feature pipeline that training and serving share. */
package io.edgeloop.modelpackage;
