/** Input formats (CSV, headerless delimited text, JSON Lines, gzip) turned into typed rows and Parquet, with streaming memory bounds. */
package io.edgeloop.ingest.format;
