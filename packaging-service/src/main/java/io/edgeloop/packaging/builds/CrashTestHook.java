package io.edgeloop.packaging.builds;

import io.edgeloop.messaging.crash.CrashPoints;

/** Packaging's points for the crash tests ({@link CrashPoints}: off unless a system property names a file). */
final class CrashTestHook {
  /** The package is fetched and the build claimed; nothing is pushed yet. */
  static final String MID_BUILD = "edgeloop.packaging.test.halt-mid-build";
  /** The image is pushed and signed; not yet smoke-tested or announced. */
  static final String AFTER_PUSH = "edgeloop.packaging.test.halt-after-push";

  static void midBuild(String model, int version) {
    CrashPoints.reached(MID_BUILD, model + "@" + version);
  }

  static void afterPush(String model, int version) {
    CrashPoints.reached(AFTER_PUSH, model + "@" + version);
  }

  private CrashTestHook() {}
}
