/** Which images may run at all: the admission step every image passes before it is queued, the allow-list of registries and repositories, and signature verification. */
package io.edgeloop.deploy.trust;
