package io.edgeloop.deploy.trust;

/**
 * The outcome of the admission step for one image.
 *
 * @param reason why it may not run (null when admitted): shown in the deployment's message and in
 *     the {@code rejected} ModelDeployed event
 */
public record Admission(boolean admitted, String reason) {
  private static final Admission ADMITTED = new Admission(true, null);

  public static Admission admit() {
    return ADMITTED;
  }

  public static Admission rejected(String reason) {
    return new Admission(false, reason);
  }
}
