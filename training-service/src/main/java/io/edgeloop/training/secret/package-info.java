/** Secret values of script runs: the env settings that name them, their sealed storage while a run lasts, and masking. */
package io.edgeloop.training.secret;
