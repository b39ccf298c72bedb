package io.edgeloop.storage.dataset;

/**
 * One column read back: values boxed by type ({@code Long} for int64 and timestamp micros, {@code
 * Double}, {@code String}, {@code Boolean}); {@code null} where the value is missing.
 */
public record DatasetColumn(String name, String type, Object[] values) {

  /** The values as doubles, missing ones as {@code NaN}; fails for non-numeric columns. */
  public double[] asDoubles() {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        out[i] = Double.NaN;
      } else if (v instanceof Number n) {
        out[i] = n.doubleValue();
      } else if (v instanceof Boolean b) {
        out[i] = b ? 1 : 0;
      } else {
        throw new IllegalStateException("column '" + name + "' of type " + type + " is not numeric");
      }
    }
    return out;
  }
}
