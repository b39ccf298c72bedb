package io.edgeloop.ingest.dataset;

import io.edgeloop.messaging.crash.CrashPoints;

/**
 * Ingest's points for the crash-safety tests ({@link CrashPoints}: off unless a system property
 * names a file; held once per file). {@value #AFTER_STORE}: right after a version is stored and before it is announced.
 * {@value #AFTER_ANNOUNCE}: right after its DataLanded was sent and before the original is tidied away.
 * {@value #MID_CONVERSION}: once half of an input is read and converted (its Parquet half written).
 * {@value #AFTER_QUARANTINE}: right after a rejected input is quarantined and before its
 * DataRejected is recorded.
 */
final class CrashTestHook {
  static final String AFTER_STORE = "edgeloop.ingest.test.halt-after-store";
  static final String AFTER_ANNOUNCE = "edgeloop.ingest.test.halt-after-announce";
  static final String MID_CONVERSION = "edgeloop.ingest.test.halt-mid-conversion";
  static final String AFTER_QUARANTINE = "edgeloop.ingest.test.halt-after-quarantine";

  static void afterStored(String dataset, long version) {
    halt(AFTER_STORE, dataset + "@" + version);
  }

  static void afterAnnounced(String dataset, long version) {
    halt(AFTER_ANNOUNCE, dataset + "@" + version);
  }

  static void converting(String name, long bytesRead, long total) {
    if (total > 0 && bytesRead >= total / 2) {
      halt(MID_CONVERSION, name + "@" + bytesRead + "/" + total);
    }
  }

  static void afterQuarantined(String name) {
    halt(AFTER_QUARANTINE, name);
  }

  private static void halt(String property, String what) {
    CrashPoints.reached(property, what);
  }

  private CrashTestHook() {}
}
