package io.edgeloop.training.compute;

/**
 * Turns a stream's text, arriving in chunks, into log lines for a {@link LogSink}, with a bound on the
 * length of a line: a script that writes gigabytes without a newline costs this service
 * {@code maxChars} of memory, not gigabytes. The rest of a long line is dropped and counted. Not
 * thread-safe: one per stream.
 */
final class LineAssembler {
  /** Longest line kept (characters); the rest of a longer line is cut. */
  static final int MAX_CHARS = 32 * 1024;
  private final String stream;
  private final LogSink sink;
  private final int maxChars;
  private final StringBuilder line = new StringBuilder();
  private long cut;

  LineAssembler(String stream, LogSink sink, int maxChars) {
    this.stream = stream;
    this.sink = sink;
    this.maxChars = maxChars;
  }

  void append(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      if (c == '\n') {
        emit();
      } else if (line.length() < maxChars) {
        line.append(c);
      } else {
        cut++;
      }
    }
  }

  void append(String text) {
    append(text.toCharArray(), 0, text.length());
  }

  /** Emits what is left after the stream ended without a final newline. */
  void finish() {
    if (!line.isEmpty() || cut > 0) {
      emit();
    }
  }

  private void emit() {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      line.setLength(end - 1);
    }
    if (cut > 0) {
      line.append(" [line cut: ").append(cut).append(" more characters]");
    }
    sink.line(stream, line.toString());
    line.setLength(0);
    cut = 0;
  }
}
