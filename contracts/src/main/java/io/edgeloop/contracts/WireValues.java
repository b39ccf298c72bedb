package io.edgeloop.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one rule for enums that travel as strings: the wire value is the lower-case constant name
 * ({@code ROLLED_BACK} travels as {@code rolled_back}) unless the enum says otherwise. Jackson
 * writes and reads the enums through {@link Wire#wire()}; code that holds a string parses it with
 * {@link #parse}, which names the known values when it refuses one.
 */
public final class WireValues {

  /** The constant of {@code type} whose wire value is {@code value}. */
  public static <E extends Enum<E> & Wire> E parse(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.wire().equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "unknown " + type.getSimpleName() + " '" + value + "'; known: "
            + Arrays.stream(type.getEnumConstants()).map(Wire::wire).collect(Collectors.joining(", ")));
  }

  /** An enum that travels as a string. */
  public interface Wire {
    String name();

    @JsonValue
    default String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private WireValues() {}
}
