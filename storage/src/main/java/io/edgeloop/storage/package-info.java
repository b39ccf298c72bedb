/** Blob storage for datasets, run artifacts and models behind one small interface, chosen by URI scheme. */
package io.edgeloop.storage;
