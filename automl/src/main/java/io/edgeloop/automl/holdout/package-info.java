/** The fixed holdout a champion and its challengers are compared on, and scoring a package on it as the server would. */
package io.edgeloop.automl.holdout;
