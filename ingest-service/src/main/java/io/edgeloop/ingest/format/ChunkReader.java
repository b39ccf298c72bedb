package io.edgeloop.ingest.format;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an input in chunks that end at line ends, gzip unpacked when its magic bytes say so and a
 * leading UTF-8 BOM dropped, in bounded memory whatever the input: a chunk is about {@code chunkBytes},
 * a line longer than {@code maxLineBytes} stops the input ({@code line_too_long}) before it is held
 * whole, and so does more than {@code maxBytes} of decompressed data ({@code too_large}), so a gzip
 * bomb costs one buffer. Problems tied to a line are thrown as {@link LineProblem.Found} after the
 * chunks before them were handed out, so their line number can be counted. Buffers come back
 * through {@link #release} and are reused.
 */
final class ChunkReader {
  private final InputStream in;
  private final boolean gzip;
  private final int maxLineBytes;
  private final long maxBytes;
  private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
  private int chunkBytes;
  private byte[] carry = new byte[0];
  private int carryLength;
  private long bytes;
  private long index;
  private boolean eof;
  private boolean started;
  private LineProblem.Found pending;

  private ChunkReader(InputStream in, boolean gzip, int chunkBytes, int maxLineBytes, long maxBytes) {
    this.in = in;
    this.gzip = gzip;
    this.chunkBytes = chunkBytes;
    this.maxLineBytes = maxLineBytes;
    this.maxBytes = maxBytes;
  }

  static ChunkReader open(InputStream raw, int chunkBytes, int maxLineBytes, long maxBytes) throws IOException, RejectedInputException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      try {
        return new ChunkReader(new GZIPInputStream(in, 1 << 16), true, chunkBytes, maxLineBytes, maxBytes);
      } catch (ZipException | EOFException e) {
        throw new RejectedInputException(RejectedInputException.CORRUPT_GZIP, "gzip header is broken: " + e.getMessage(), e);
      }
    }
    return new ChunkReader(in, false, chunkBytes, maxLineBytes, maxBytes);
  }

  boolean gzip() {
    return gzip;
  }

  /** Decompressed bytes read so far. */
  long bytes() {
    return bytes;
  }

  /** Later chunks aim at this size (e.g. smaller once rows turn out to be wide in memory). */
  void chunkBytes(int chunkBytes) {
    this.chunkBytes = chunkBytes;
  }

  /** Hands a chunk's buffer back for reuse once nothing reads it any more. */
  void release(Chunk chunk) {
    if (chunk.bytes().length == capacity()) {
      free.add(chunk.bytes());
    }
  }

  /** The next chunk, or null after the last one. */
  Chunk next() throws IOException, RejectedInputException, LineProblem.Found {
    if (pending != null) {
      LineProblem.Found found = pending;
      pending = null;
      eof = true;
      throw found;
    }
    if (eof) {
      return null;
    }
    byte[] buf = buffer();
    System.arraycopy(carry, 0, buf, 0, carryLength);
    int filled = fill(buf, carryLength, Math.max(chunkBytes, carryLength));
    if (!started) {
      started = true;
      filled = dropBom(buf, filled);
    }
    int cut = cutPoint(buf, filled);
    if (cut < 0) {
      // One line fills the whole buffer so far: it either ends within the limit or is too long.
      filled = fill(buf, filled, maxLineBytes + 2);
      int end = ChunkParser.endOfLine(buf, 0, filled);
      if (end > maxLineBytes) {
        eof = true;
        pending = null;
        throw new LineProblem.Found(tooLong(1));
      }
      if (end == filled - 1 && buf[end] == '\r') {
        filled = fill(buf, filled, filled + 1); // is it CRLF?
      }
      cut = Math.max(0, cutPoint(buf, filled));
    }
    carryLength = filled - cut;
    if (carry.length < carryLength) {
      carry = new byte[Math.max(carryLength, Math.min(capacity(), carry.length * 2))];
    }
    System.arraycopy(buf, cut, carry, 0, carryLength);
    if (carryLength > maxLineBytes && pending == null) {
      pending = new LineProblem.Found(tooLong(1));
    }
    if (cut == 0) {
      free.add(buf);
      return next();
    }
    return new Chunk(index++, buf, cut);
  }

  /**
   * Where the chunk in {@code buf[0, filled)} ends: after its last complete line, all of it at the
   * end of the input, nothing after damaged gzip data that left no complete line; -1 when no line
   * ends in it. A CR in the very last byte only ends a line at the end of the input: an LF may follow.
   */
  private int cutPoint(byte[] buf, int filled) {
    if (eof && pending == null) {
      return filled;
    }
    for (int i = filled - 1; i >= 0; i--) {
      byte b = buf[i];
      if (b == '\n' || (b == '\r' && (i < filled - 1 || eof))) {
        return i + 1;
      }
    }
    return pending != null ? 0 : -1;
  }

  private LineProblem tooLong(long lineInNextChunk) {
    return new LineProblem(RejectedInputException.LINE_TOO_LONG, lineInNextChunk,
        " is longer than the limit of " + maxLineBytes + " bytes", null);
  }

  /** Reads into {@code buf} from {@code filled} until {@code target} bytes are there or the input ends. */
  private int fill(byte[] buf, int filled, int target) throws IOException, RejectedInputException {
    target = Math.min(target, buf.length);
    while (filled < target && !eof && pending == null) {
      int n;
      try {
        n = in.read(buf, filled, target - filled);
      } catch (ZipException | EOFException e) {
        if (!gzip) {
          throw e;
        }
        // The complete lines before the damage are still handed out (and checked) first.
        eof = true;
        pending = new LineProblem.Found(new LineProblem(RejectedInputException.CORRUPT_GZIP,
            "gzip data ends early or is corrupt after line ", 0, ": " + e.getMessage(), null));
        return filled;
      }
      if (n < 0) {
        eof = true;
        break;
      }
      filled += n;
      bytes += n;
      if (maxBytes > 0 && bytes > maxBytes) {
        throw new RejectedInputException(RejectedInputException.TOO_LARGE,
            (gzip ? "decompresses to" : "is") + " more than the limit of " + maxBytes + " bytes");
      }
    }
    return filled;
  }

  private static int dropBom(byte[] buf, int filled) {
    if (filled >= 3 && buf[0] == (byte) 0xEF && buf[1] == (byte) 0xBB && buf[2] == (byte) 0xBF) {
      System.arraycopy(buf, 3, buf, 0, filled - 3);
      return filled - 3;
    }
    return filled;
  }

  private int capacity() {
    return Math.max(chunkBytes, maxLineBytes + 2) + 1;
  }

  private byte[] buffer() {
    byte[] buf = free.poll();
    while (buf != null && buf.length != capacity()) {
      buf = free.poll();
    }
    return buf != null ? buf : new byte[capacity()];
  }

  void close() throws IOException {
    in.close();
  }
}
