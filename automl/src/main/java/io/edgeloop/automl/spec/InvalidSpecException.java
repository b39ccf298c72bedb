package io.edgeloop.automl.spec;

/** An experiment spec that cannot run on the given data; the message starts with the field at fault. */
public final class InvalidSpecException extends IllegalArgumentException {

  private final String field;

  public InvalidSpecException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The spec field at fault, e.g. {@code features[2]} or {@code timeSeries.rolling[0].windows}. */
  public String field() {
    return field;
  }
}
