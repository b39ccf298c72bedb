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
   * @throws SmokeTestException when the server does not become ready or its predictions differ
   */
  void check(BuiltImage image, Path packageDir, ModelManifest manifest) throws SmokeTestException, InterruptedException;

  /** The name shown in logs and build records. */
  String name();
}
