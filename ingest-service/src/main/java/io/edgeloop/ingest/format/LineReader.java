package io.edgeloop.ingest.format;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Lines of an input, decoded strictly as UTF-8 (invalid bytes reject the input instead of turning
 * into U+FFFD), gzip unpacked when the magic bytes say so, a leading BOM dropped, LF / CRLF / CR
 * line ends alike. Read errors that mean "bad input" become {@link RejectedInputException}s.
 */
public final class LineReader implements AutoCloseable {
  private final BufferedReader reader;
  private final boolean gzip;
  private long lineNumber;

  private LineReader(BufferedReader reader, boolean gzip) {
    this.reader = reader;
    this.gzip = gzip;
  }

  public static LineReader open(InputStream raw) throws IOException, RejectedInputException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    boolean gzip = b1 == 0x1f && b2 == 0x8b;
    InputStream decoded = in;
    if (gzip) {
      try {
        decoded = new GZIPInputStream(in, 1 << 16);
      } catch (ZipException | EOFException e) {
        throw new RejectedInputException(RejectedInputException.CORRUPT_GZIP, "gzip header is broken: " + e.getMessage(), e);
      }
    }
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    return new LineReader(new BufferedReader(new InputStreamReader(decoded, decoder), 1 << 16), gzip);
  }

  /** The next line without its line end, or null at the end. */
  public String next() throws IOException, RejectedInputException {
    String line;
    try {
      line = reader.readLine();
    } catch (CharacterCodingException e) {
      throw new RejectedInputException(RejectedInputException.INVALID_ENCODING,
          "line " + (lineNumber + 1) + " is not valid UTF-8 (" + e + ")", e);
    } catch (EOFException | ZipException e) {
      if (gzip) {
        throw new RejectedInputException(RejectedInputException.CORRUPT_GZIP,
            "gzip data ends early or is corrupt after line " + lineNumber + ": " + e.getMessage(), e);
      }
      throw e;
    }
    if (line == null) {
      return null;
    }
    lineNumber++;
    if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1);
    }
    return line;
  }

  public long lineNumber() {
    return lineNumber;
  }

  public boolean gzip() {
    return gzip;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
