package io.edgeloop.packaging.builds;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a build stands. Only {@link #PUSHED} images (pushed and smoke-tested) are ever announced. */
public enum BuildStatus {
  /** Fetching the package, building and pushing. */
  BUILDING,
  /** Pushed; the smoke test runs. */
  SMOKE_TESTING,
  /** Pushed and smoke-tested: announced, or about to be. */
  PUSHED,
  /** Gave up; the reason says why. Nothing was announced. */
  FAILED,
  /** Not packaged by policy. */
  SKIPPED;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
