package io.edgeloop.ingest.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.storage.dataset.Column;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Parses the lines of one chunk into {@link ColumnVectors}, stopping at the first bad line. Lines
 * end at LF, CRLF or CR; blank lines are skipped but counted. Plain ASCII lines of delimited text
 * are split and their numbers read straight from the bytes; any other line (non-ASCII, control
 * characters, quotes, JSON) is decoded strictly as UTF-8 and goes through {@link Tokenizer} and
 * {@link ValueParser}, so both ways give the same values and the same errors. Not thread-safe: one
 * parser per task.
 */
final class ChunkParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte ORDINARY = 0;
  private static final byte BLANK = 1;
  private static final byte DELIMITER = 2;
  private static final byte END = 3;
  private static final byte SPECIAL = 4;

  private final boolean json;
  private final Character delimiter;
  private final List<Column> columns;
  private final List<String> names;
  private final int[] kinds;
  private final ValueParser values;
  private final Tokenizer tokenizer;
  private final int maxLineBytes;
  private final byte[] classes;
  private final int[] fieldStart;
  private final int[] fieldEnd;
  private final List<String> fields = new ArrayList<>();
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private long parsedLong;

  ChunkParser(TableFormat format, List<Column> columns, int maxLineBytes) {
    this.json = format.kind() == TableFormat.Kind.JSONL;
    this.delimiter = format.delimiter();
    this.columns = columns;
    this.names = columns.stream().map(Column::name).toList();
    this.kinds = ColumnVectors.kindsOf(columns);
    this.values = new ValueParser(columns);
    this.tokenizer = new Tokenizer(delimiter);
    this.maxLineBytes = maxLineBytes;
    this.classes = json ? null : classes(delimiter);
    this.fieldStart = new int[columns.size()];
    this.fieldEnd = new int[columns.size()];
  }

  /**
   * Byte classes for the fast path, or null when the delimiter rules it out (a quote, a control or
   * non-ASCII character as delimiter: those inputs always take the exact path).
   */
  private static byte[] classes(Character delimiter) {
    if (delimiter != null && delimiter != '\t' && (delimiter < 32 || delimiter >= 127 || delimiter == '"')) {
      return null;
    }
    byte[] classes = new byte[256];
    for (int b = 0; b < 256; b++) {
      classes[b] = b >= 128 || b < 32 ? SPECIAL : ORDINARY;
    }
    classes[' '] = BLANK;
    classes['\t'] = BLANK;
    classes['\n'] = END;
    classes['\r'] = END;
    if (delimiter != null) {
      classes['"'] = SPECIAL; // quoted fields: the exact path
      classes[delimiter] = DELIMITER;
    }
    return classes;
  }

  /** What one chunk gave: its rows, how many lines it spans, or the first problem in it. */
  record Parsed(ColumnVectors vectors, long lines, LineProblem problem) {}

  /**
   * Parses {@code chunk} from byte {@code from}, which starts the chunk's line {@code skippedLines + 1}
   * (lines before it, e.g. a header, were read elsewhere), into {@code reuse} if given (emptied
   * first) or new vectors. Line numbers in a problem count from the chunk's first line.
   */
  Parsed parse(Chunk chunk, int from, long skippedLines, ColumnVectors reuse) {
    byte[] buf = chunk.bytes();
    int length = chunk.length();
    ColumnVectors out = reuse != null ? reuse : new ColumnVectors(kinds, estimateRows(buf, from, length));
    out.reset();
    long line = skippedLines;
    int p = from;
    try {
      while (p < length) {
        line++;
        int lineEnd = json || classes == null ? -1 : fastLine(buf, p, length, out, line);
        if (lineEnd < 0) {
          lineEnd = endOfLine(buf, p, length);
          checkLength(p, lineEnd);
          exactLine(buf, p, lineEnd, out);
        }
        p = next(buf, lineEnd, length);
      }
    } catch (Problem problem) {
      return new Parsed(out, line, new LineProblem(problem.reason, line, problem.detail, problem.firstRowText));
    }
    return new Parsed(out, line, null);
  }

  /** Rows a chunk will likely hold, from the length of its first line, so vectors rarely grow. */
  private static int estimateRows(byte[] buf, int from, int length) {
    int firstEnd = endOfLine(buf, from, Math.min(length, from + 64 * 1024));
    int lineBytes = Math.max(2, firstEnd - from + 1);
    return (int) Math.min(1 << 20, (length - from) / lineBytes + 16);
  }

  static int endOfLine(byte[] buf, int from, int length) {
    for (int i = from; i < length; i++) {
      byte b = buf[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return length;
  }

  /** Where the line after one ending at {@code lineEnd} starts (CRLF is one line end). */
  static int next(byte[] buf, int lineEnd, int length) {
    if (lineEnd >= length) {
      return length;
    }
    if (buf[lineEnd] == '\r' && lineEnd + 1 < length && buf[lineEnd + 1] == '\n') {
      return lineEnd + 2;
    }
    return lineEnd + 1;
  }

  private void checkLength(int from, int to) throws Problem {
    if (to - from > maxLineBytes) {
      throw new Problem(RejectedInputException.LINE_TOO_LONG,
          " is " + (to - from) + " bytes long, more than the limit of " + maxLineBytes + " bytes", null);
    }
  }

  /**
   * The fast path for one plain ASCII line of delimited text: returns where the line ends, or -1
   * when the line holds something only the exact path handles (nothing was stored then).
   */
  private int fastLine(byte[] buf, int p, int length, ColumnVectors out, long line) throws Problem {
    byte[] cls = classes;
    int n = 0;
    int q = p;
    byte c = END;
    if (delimiter == null) {
      while (true) {
        while (q < length && (c = cls[buf[q] & 0xff]) == BLANK) {
          q++;
        }
        if (q >= length || c == END) {
          break;
        }
        if (c == SPECIAL) {
          return -1;
        }
        int s = q;
        while (q < length && (c = cls[buf[q] & 0xff]) == ORDINARY) {
          q++;
        }
        if (q < length && c == SPECIAL) {
          return -1;
        }
        if (n < fieldStart.length) {
          fieldStart[n] = s;
          fieldEnd[n] = q;
        }
        n++;
      }
      if (n == 0) {
        checkLength(p, q);
        return q; // blank line
      }
    } else {
      int s = q;
      while (true) {
        while (q < length && (c = cls[buf[q] & 0xff]) <= BLANK) {
          q++;
        }
        if (q < length && c == SPECIAL) {
          return -1;
        }
        int fs = s;
        int fe = q;
        while (fs < fe && buf[fs] <= ' ') {
          fs++;
        }
        while (fe > fs && buf[fe - 1] <= ' ') {
          fe--;
        }
        if (n < fieldStart.length) {
          fieldStart[n] = fs;
          fieldEnd[n] = fe;
        }
        n++;
        if (q >= length || c == END) {
          break;
        }
        q++; // the delimiter
        s = q;
      }
      if (n == 1 && fieldStart[0] == fieldEnd[0]) {
        checkLength(p, q);
        return q; // blank line
      }
    }
    checkLength(p, q);
    if (n != kinds.length) {
      throw ragged(n, out.rows == 0 ? new String(buf, p, q - p, StandardCharsets.ISO_8859_1) : null);
    }
    out.ensureRow();
    for (int i = 0; i < n; i++) {
      fastField(i, buf, fieldStart[i], fieldEnd[i], out);
    }
    out.commitRow();
    return q;
  }

  private void fastField(int i, byte[] buf, int s, int e, ColumnVectors out) throws Problem {
    if (s == e) {
      out.setNull(i);
      return;
    }
    switch (kinds[i]) {
      case ColumnVectors.FLOAT64 -> {
        double d = ValueParser.fastDecimal(buf, s, e);
        if (!Double.isNaN(d)) {
          out.setDouble(i, d);
          return;
        }
      }
      case ColumnVectors.INT64 -> {
        if (fastLong(buf, s, e)) {
          out.setLong(i, parsedLong);
          return;
        }
      }
      case ColumnVectors.STRING -> {
        out.setAscii(i, buf, s, e);
        return;
      }
      default -> { }
    }
    // Null words, exponents, booleans, timestamps...: the exact rules, on the field's text.
    exactField(i, new String(buf, s, e - s, StandardCharsets.ISO_8859_1), out);
  }

  private void exactField(int i, String text, ColumnVectors out) throws Problem {
    try {
      values.parseField(i, text, out);
    } catch (ValueParser.BadValue bad) {
      throw new Problem(RejectedInputException.BAD_VALUE, values.describe(bad), null);
    }
  }

  /** An optional sign and up to 18 digits, which {@link Long#parseLong} reads the same way; else false. */
  private boolean fastLong(byte[] buf, int s, int e) {
    int i = s;
    boolean negative = false;
    byte c = buf[i];
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    if (i == e || e - i > 18) {
      return false;
    }
    long v = 0;
    for (; i < e; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      v = v * 10 + d;
    }
    parsedLong = negative ? -v : v;
    return true;
  }

  /** Any line, the exact way: decoded strictly, then split and read with the String-based rules. */
  private void exactLine(byte[] buf, int from, int to, ColumnVectors out) throws Problem {
    String line = decode(buf, from, to);
    if (line.isBlank()) {
      return;
    }
    if (json) {
      jsonLine(line, out);
      return;
    }
    tokenizer.split(line, fields);
    if (fields.size() != kinds.length) {
      throw ragged(fields.size(), out.rows == 0 ? line : null);
    }
    addRow(fields, out);
  }

  private void addRow(List<String> texts, ColumnVectors out) throws Problem {
    out.ensureRow();
    for (int i = 0; i < kinds.length; i++) {
      exactField(i, texts.get(i), out);
    }
    out.commitRow();
  }

  private String decode(byte[] buf, int from, int to) throws Problem {
    try {
      return decoder.reset().decode(ByteBuffer.wrap(buf, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      throw new Problem(RejectedInputException.INVALID_ENCODING, " is not valid UTF-8 (" + e + ")", null);
    }
  }

  private void jsonLine(String line, ColumnVectors out) throws Problem {
    JsonNode node = parseJson(line);
    Iterator<String> keys = node.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!names.contains(key)) {
        throw new Problem(RejectedInputException.SCHEMA_MISMATCH, " has field '" + key + "', which is not in the schema " + names, null);
      }
    }
    fields.clear();
    for (String name : names) {
      fields.add(textOf(node.get(name)));
    }
    addRow(fields, out);
  }

  static JsonNode parseJson(String line) throws Problem {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw new Problem(RejectedInputException.INVALID_JSON, " is not a JSON object", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new Problem(RejectedInputException.INVALID_JSON, " is not valid JSON: " + e.getOriginalMessage(), null);
    }
  }

  /** A JSON value as field text: scalars as their text, objects and arrays as JSON, null and absent as empty. */
  static String textOf(JsonNode value) {
    return value == null || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
  }

  private Problem ragged(int found, String firstRowText) {
    return new Problem(RejectedInputException.RAGGED_ROWS, " has " + found + " fields, expected " + kinds.length, firstRowText);
  }

  List<Column> columns() {
    return columns;
  }

  /** Thrown inside the parse loop; the loop adds the line number. Cheap: no stack trace. */
  static final class Problem extends Exception {
    final String reason;
    final String detail;
    final String firstRowText;

    Problem(String reason, String detail, String firstRowText) {
      super(detail, null, false, false);
      this.reason = reason;
      this.detail = detail;
      this.firstRowText = firstRowText;
    }
  }
}
