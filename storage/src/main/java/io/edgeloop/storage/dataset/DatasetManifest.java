package io.edgeloop.storage.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code datasets/<name>/v<N>/manifest.json}: one stored version.
 *
 * @param bytes size of {@code data.parquet}; {@code sha256} its digest
 * @param sourceSha256 digest of the original input (as received, e.g. still gzipped): the
 *     identity used to recognise the same content arriving again
 * @param profile per column, in schema order
 */
public record DatasetManifest(
    String dataset,
    long version,
    List<Column> schema,
    long rows,
    long bytes,
    String sha256,
    String dataKey,
    String dataUri,
    Map<String, ColumnProfile> profile,
    Source source,
    String sourceSha256,
    long sourceBytes,
    String inputFormat,
    Instant createdAt) {

  /** Where the input came from: {@code kind} share, blob or stream; {@code location}; {@code item} the file, blob or batch. */
  public record Source(String kind, String location, String item) {}
}
