package io.edgeloop.ingest.dataset;

import java.io.IOException;

/**
 * Which instance works on which input, so replicas watching one share or container never read,
 * store or quarantine an input twice: a claim is taken before an input is read and released when
 * it is done; a claim left by an instance that died runs out and is taken over. Failures of the
 * claims' database are unchecked ({@code DataAccessException}) and mean "retry later".
 */
public interface SourceClaims {

  /** True when this instance now holds {@code key} (it was free, expired, or already this instance's). */
  boolean claim(String key);

  /** Gives {@code key} up; nothing happens when another instance holds it. */
  void release(String key);

  /**
   * Throws when this instance no longer holds {@code key} (its lease ran out and another instance
   * took the input over); called under the dataset's lock before a version is written, so an
   * instance that lost its claim stores nothing.
   */
  void verify(String key) throws ClaimLostException;

  /** For a single instance with no database (tests of the pipeline alone): every claim is granted. */
  SourceClaims SOLE = new SourceClaims() {
    @Override
    public boolean claim(String key) {
      return true;
    }

    @Override
    public void release(String key) {}

    @Override
    public void verify(String key) {}
  };

  /** This instance's claim on an input was taken over by another instance: leave the input to it. */
  final class ClaimLostException extends IOException {
    public ClaimLostException(String key, String owner) {
      super("the claim on " + key + " is now " + (owner == null ? "released" : "held by " + owner) + "; leaving the input to it");
    }
  }
}
