/** A seeded turbofan fleet simulator that writes C-MAPSS-format files, for demos and tests without NASA's data. */
package io.edgeloop.launcher.fleet;
