/** {@code edgeloop demo}: feeds data into a running stack, follows the loop through its events, scores the served model. */
package io.edgeloop.launcher.demo;
