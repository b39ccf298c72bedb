package io.edgeloop.ingest.stream;

/** A running stream source; sources of every kind cut batches and hand them to the ingest worker. */
public interface StreamSource extends AutoCloseable {
  void start();

  /** Records received and not yet handled. */
  int pending();

  @Override
  void close();
}
