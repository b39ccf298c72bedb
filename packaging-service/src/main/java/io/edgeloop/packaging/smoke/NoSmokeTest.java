package io.edgeloop.packaging.smoke;

import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.packaging.image.BuiltImage;
import java.nio.file.Path;

/** {@code smoke-test=off}: images are announced unchecked (for operators who check elsewhere). */
public final class NoSmokeTest implements SmokeTest {
  @Override
  public void check(BuiltImage image, Path packageDir, ModelManifest manifest, String servedVersion) {}

  @Override
  public String name() {
    return "off";
  }
}
