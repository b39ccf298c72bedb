/** Building serving images: the layers (runtime, model server, model), labels, and the Jib builder that pushes them. */
package io.edgeloop.packaging.image;
