/** Trainers behind one interface: the user's script on a compute target, and the built-in AutoML. */
package io.edgeloop.training.trainer;
