package io.edgeloop.deploy.docker;

import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.trust.TestSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three images of model {@code it-model} the Docker tests deploy, each built at most once per
 * test JVM ({@link #build()} all three, {@link #buildV1()} only v1) and signed with
 * {@link TestSigningKey} (the services under test trust its public key).
 */
public final class TestImages {
  public static final String MODEL = "it-model";
  public static final float V1_WEIGHT = 1f;
  public static final float V2_WEIGHT = 2f;
  private static Release v1;
  private static Release v2;
  private static Release broken;

  private TestImages() {}

  public static synchronized void build() throws IOException {
    buildV1();
    if (v2 == null) {
      v2 = image(2, V2_WEIGHT, V2_WEIGHT);
    }
    if (broken == null) {
      // Serves -1 * (x1 + x2) + 0.5 while its package recorded the outputs of weight 3.
      broken = image(3, -1f, 3f);
    }
  }

  /** Only v1, for a test that deploys nothing else (one image build instead of three); {@link #build()} adds the rest. */
  public static synchronized void buildV1() throws IOException {
    if (v1 == null) {
      v1 = image(1, V1_WEIGHT, V1_WEIGHT);
    }
  }

  private static Release image(int version, float servedWeight, float recordedWeight) throws IOException {
    Path work = Files.createTempDirectory("deploy-images");
    try {
      Release image = ModelServerImages.build(work, MODEL, version, servedWeight, recordedWeight);
      // Signed as packaging signs what it pushes: the service under test admits only signed images.
      TestSigningKey.sign(image);
      return image;
    } finally {
      ModelServerImages.run(java.util.List.of("rm", "-rf", work.toString()));
    }
  }

  /** Removes the engine's pulled copies (after the containers using them are gone). */
  public static synchronized void removeFromEngine() {
    ModelServerImages.removeImages(java.util.Arrays.asList(v1, v2, broken));
  }

  public static Release v1() {
    return v1;
  }

  public static Release v2() {
    return v2;
  }

  public static Release broken() {
    return broken;
  }

  /** The answer of the version with {@code weight} for x1 = 1, x2 = 2 (what {@link InferLoad} sends). */
  public static double answer(float weight) {
    return Math.round(ModelServerImages.predict(weight, 1, 2) * 1000) / 1000.0;
  }
}
