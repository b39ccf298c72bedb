/** Image builds per model version: the flow from ModelTrained to an announced image, its records, metrics and REST view. */
package io.edgeloop.packaging.builds;
