/** Inference on the served model: request parsing, signature checks, feature preprocessing and package loading. */
package io.edgeloop.modelserver.inference;
