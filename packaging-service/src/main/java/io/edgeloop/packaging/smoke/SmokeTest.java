package io.edgeloop.packaging.smoke;

import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.image.BuiltImage;
import java.nio.file.Path;

/** Checks a pushed image before it is announced: the server comes up and reproduces the package's recorded samples. */
public interface SmokeTest {

  /**
   * @param image the pushed image
   * @param packageDir the model package it was built from
   * @param manifest that package's manifest (with its recorded samples)
   * @param servedVersion the version the server must answer as (the registry's)
   * @throws SmokeTestException when the server does not become ready, serves another version or its
   *     predictions differ ({@link SmokeTestException#isTransient()}: the Docker engine was not reachable)
   */
  void check(BuiltImage image, Path packageDir, ModelManifest manifest, String servedVersion)
      throws SmokeTestException, InterruptedException;

  /** The name shown in logs and build records. */
  String name();
}
