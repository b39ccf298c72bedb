package io.edgeloop.ingest.dataset;

import java.io.IOException;

/**
 * Tidying or quarantining would have written through a symbolic link (e.g. one a share writer put
 * among the processed or quarantine folders), so nothing was written: the original stays in place.
 */
public class UnsafeLinkException extends IOException {
  public UnsafeLinkException(String message) {
    super(message);
  }
}
