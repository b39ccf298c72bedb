/** Which images may run at all: the admission step every image passes before it is queued, and the allow-list of registries and repositories. */
package io.edgeloop.deploy.trust;
