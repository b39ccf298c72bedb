/** Tensors as the Open Inference Protocol carries them: data types, flat row-major values and their JSON form. */
package io.edgeloop.modelserver.tensor;
