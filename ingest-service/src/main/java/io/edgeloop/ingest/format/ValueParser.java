package io.edgeloop.ingest.format;

import io.edgeloop.storage.dataset.Column;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Turns text fields into typed values of a declared schema; a field that does not fit is reported
 * as a {@link BadValue} naming its column, which the caller turns into {@code bad_value} with the line.
 */
final class ValueParser {
  /** Field texts read as a missing value (besides the empty field). */
  static final Set<String> NULLS = Set.of("NA", "N/A", "null", "NULL");

  private final List<Column> columns;
  private final int[] kinds;

  ValueParser(List<Column> columns) {
    this.columns = columns;
    this.kinds = ColumnVectors.kindsOf(columns);
  }

  /** Fills the current row of {@code out} from one text per column. */
  void parse(List<String> fields, ColumnVectors out) throws BadValue {
    for (int i = 0; i < kinds.length; i++) {
      parseField(i, fields.get(i), out);
    }
  }

  void parseField(int i, String text, ColumnVectors out) throws BadValue {
    if (text.isEmpty() || (kinds[i] != ColumnVectors.STRING && isNullWord(text))) {
      out.setNull(i);
      return;
    }
    try {
      switch (kinds[i]) {
        case ColumnVectors.INT64 -> out.setLong(i, parseLong(text));
        case ColumnVectors.FLOAT64 -> out.setDouble(i, parseDouble(text));
        case ColumnVectors.BOOLEAN -> out.setBoolean(i, parseBoolean(text));
        case ColumnVectors.TIMESTAMP -> out.setLong(i, parseTimestampMicros(text));
        default -> out.setString(i, text);
      }
    } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
      throw new BadValue(i, text);
    }
  }

  /** What follows "line N" in a bad_value message. */
  String describe(BadValue bad) {
    Column column = columns.get(bad.column);
    String shown = bad.text.length() > 40 ? bad.text.substring(0, 40) + "..." : bad.text;
    return ", column '" + column.name() + "' (" + column.type() + "): cannot read '" + shown + "'";
  }

  /** A field that does not fit its column's type; cheap (no stack trace), as it ends the chunk anyway. */
  static final class BadValue extends Exception {
    final int column;
    final String text;

    BadValue(int column, String text) {
      super(null, null, false, false);
      this.column = column;
      this.text = text;
    }
  }

  /** Cheap first: only words starting with N or n can be null words (avoids hashing every number). */
  private static boolean isNullWord(String text) {
    char c = text.charAt(0);
    return (c == 'N' || c == 'n') && NULLS.contains(text);
  }

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /**
   * Plain decimals ({@code -12.345}, at most 15 digits, no exponent) the fast way: the digits as an
   * exact long divided by an exact power of ten is one correctly rounded IEEE operation, so the
   * result equals {@link Double#parseDouble}. Anything else returns NaN and takes the slow path.
   */
  static double fastDecimal(String s) {
    byte[] latin1 = s.getBytes(StandardCharsets.ISO_8859_1); // any non-ASCII character is no digit either way
    return fastDecimal(latin1, 0, latin1.length);
  }

  /** {@link #fastDecimal(String)} on the ASCII bytes {@code [from, to)}, as the chunk parser reads them. */
  static double fastDecimal(byte[] buf, int from, int to) {
    int i = from;
    boolean negative = false;
    byte c = buf[i];
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = -1;
    for (; i < to; i++) {
      c = buf[i];
      if (c >= '0' && c <= '9') {
        if (++digits > 15) {
          return Double.NaN;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (scale >= 0) {
          scale++;
        }
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    double value = scale <= 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -value : value;
  }

  static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      double d = parseDouble(text);
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.0e15) {
        return (long) d;
      }
      throw new NumberFormatException("not an integer: " + text);
    }
  }

  static double parseDouble(String text) {
    double fast = fastDecimal(text);
    if (!Double.isNaN(fast)) {
      return fast;
    }
    char last = text.charAt(text.length() - 1);
    // Java also accepts "1d", "1f" and hex floats: other tools do not, so neither do we.
    if (Character.isLetter(last) && last != 'N' && last != 'y' || text.startsWith("0x") || text.startsWith("0X")) {
      throw new NumberFormatException("not a number: " + text);
    }
    return Double.parseDouble(text);
  }

  static boolean parseBoolean(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "t", "yes", "1" -> true;
      case "false", "f", "no", "0" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + text);
    };
  }

  static long parseTimestampMicros(String text) {
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      instant = OffsetDateTime.parse(text).toInstant();
    }
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /** The narrowest type all {@code samples} fit: int64, float64, boolean, timestamp, else string. */
  static String infer(List<String> samples) {
    boolean anyValue = false;
    boolean allLong = true;
    boolean allDouble = true;
    boolean allBoolean = true;
    boolean allTimestamp = true;
    for (String s : samples) {
      if (s.isEmpty() || NULLS.contains(s)) {
        continue;
      }
      anyValue = true;
      if (allLong) {
        try {
          Long.parseLong(s);
        } catch (NumberFormatException e) {
          allLong = false;
        }
      }
      if (allDouble) {
        try {
          parseDouble(s);
        } catch (NumberFormatException e) {
          allDouble = false;
        }
      }
      if (allBoolean) {
        String l = s.toLowerCase(java.util.Locale.ROOT);
        allBoolean = l.equals("true") || l.equals("false");
      }
      if (allTimestamp) {
        try {
          parseTimestampMicros(s);
        } catch (DateTimeParseException | ArithmeticException e) {
          allTimestamp = false;
        }
      }
    }
    if (!anyValue) {
      return "string";
    }
    if (allLong) {
      return "int64";
    }
    if (allDouble) {
      return "float64";
    }
    if (allBoolean) {
      return "boolean";
    }
    return allTimestamp ? "timestamp" : "string";
  }
}
