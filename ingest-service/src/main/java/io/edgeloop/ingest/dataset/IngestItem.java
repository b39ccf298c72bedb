package io.edgeloop.ingest.dataset;

import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.format.RejectedInputException;
import io.edgeloop.ingest.format.TableFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/** One complete input from a source (a settled file, a new blob, a closed stream batch) and how to tidy it up. */
public interface IngestItem {

  /** {@code share}, {@code blob} or {@code stream}. */
  String kind();

  /** The share path, container URL or topic. */
  String location();

  /** The file (relative to the share), blob name or batch ({@code topic:partition:from-to}). */
  String name();

  String dataset();

  TableFormat format();

  /** Bytes, or -1 when unknown before reading. */
  long size();

  long maxSize();

  /** When the input became complete: the start of the settle-to-event time. */
  Instant readyAt();

  /** null: the service default. */
  SchemaChangePolicy onSchemaChange();

  /** A reason to refuse the input unread (e.g. a link pointing outside the share). */
  default Optional<RejectedInputException> refuseUnread() {
    return Optional.empty();
  }

  /**
   * Why the input may have changed while it was read ({@code bytesRead} bytes), if it may have: it
   * is then offered again later. The default compares with the size known before reading; sources
   * whose reads fail on a change (blobs read on their ETag) need no more.
   */
  default Optional<String> changedWhileRead(long bytesRead) throws IOException {
    return size() >= 0 && bytesRead != size() ? Optional.of(bytesRead + " bytes were read, " + size() + " were expected") : Optional.empty();
  }

  /** The content; each call starts from the beginning and must return the same bytes or fail. */
  InputStream open() throws IOException;

  /** After the data is stored and announced (or is a duplicate): move the original out of the way. */
  void tidy(String sourceSha256) throws IOException;

  /** Moves the original to quarantine beside a {@code .reason.json} holding {@code reasonJson}; returns where it went. */
  URI quarantine(byte[] reasonJson) throws IOException;
}
