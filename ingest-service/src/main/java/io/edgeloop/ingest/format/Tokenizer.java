package io.edgeloop.ingest.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line into fields: runs of blanks (delimiter {@code null}), or one character with
 * RFC 4180 double quotes ({@code "a,b"}, {@code ""} for a quote). Quoted fields do not span lines.
 */
final class Tokenizer {
  private final Character delimiter;

  Tokenizer(Character delimiter) {
    this.delimiter = delimiter;
  }

  List<String> split(String line) {
    List<String> out = new ArrayList<>();
    split(line, out);
    return out;
  }

  void split(String line, List<String> out) {
    out.clear();
    if (delimiter == null) {
      splitBlanks(line, out);
    } else {
      splitChar(line, delimiter, out);
    }
  }

  static String describe(Character delimiter) {
    if (delimiter == null) {
      return "blanks";
    }
    return switch (delimiter) {
      case '\t' -> "tab";
      case ',' -> "','";
      case ';' -> "';'";
      case '|' -> "'|'";
      default -> "'" + delimiter + "'";
    };
  }

  private static void splitBlanks(String line, List<String> out) {
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && isBlank(line.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      while (i < n && !isBlank(line.charAt(i))) {
        i++;
      }
      out.add(line.substring(start, i));
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static void splitChar(String line, char d, List<String> out) {
    int n = line.length();
    int i = 0;
    while (true) {
      if (i < n && line.charAt(i) == '"') {
        StringBuilder field = new StringBuilder();
        i++;
        while (i < n) {
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(c);
          i++;
        }
        while (i < n && line.charAt(i) != d) {
          i++;
        }
        out.add(field.toString());
      } else {
        int end = line.indexOf(d, i);
        if (end < 0) {
          end = n;
        }
        out.add(line.substring(i, end).trim());
        i = end;
      }
      if (i >= n) {
        break;
      }
      i++;
      if (i == n) {
        out.add("");
        break;
      }
    }
  }
}
