/** Smoke tests of pushed images: run the server (in Docker or in-process), replay the package's samples, compare. */
package io.edgeloop.packaging.smoke;
