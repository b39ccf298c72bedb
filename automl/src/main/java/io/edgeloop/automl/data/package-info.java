/** The in-memory columnar table AutoML trains on, and loaders for text files. */
package io.edgeloop.automl.data;
