/** A small OCI distribution (Docker registry v2) client: manifests and blobs, with the registry's token flow. */
package io.edgeloop.imagetrust.registry;
