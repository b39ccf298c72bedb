package io.edgeloop.ingest.format;

/**
 * A piece of an input, decompressed, that ends at a line end (or at the end of the input): bytes
 * {@code [0, length)} of {@code bytes}. {@code index} orders the chunks of one input.
 */
record Chunk(long index, byte[] bytes, int length) {}
