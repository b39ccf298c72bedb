/** Image signatures: cosign-compatible simple signing of image digests (sign at packaging, verify before deploy). */
package io.edgeloop.imagetrust;
