/** The model registry: versions, aliases, lineage, champion/challenger promotion and deployment-aware deletion. */
package io.edgeloop.training.registry;
