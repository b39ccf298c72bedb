package io.edgeloop.ingest.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Appends encoded row groups, in input order, to one Parquet file through parquet-mr's
 * {@link ParquetFileWriter} (footer, column and offset indexes), hashing the bytes as they are
 * written so the file's sha256 is known without reading it again. Used by one thread.
 */
final class ParquetAssembler implements AutoCloseable {
  private static final int COLUMN_INDEX_TRUNCATE_LENGTH = 64;

  /** The finished file: its sha256 (hex) and size. */
  record Written(String sha256, long bytes) {}

  private final HashingFile file;
  private final ParquetFileWriter writer;
  private boolean ended;

  ParquetAssembler(Path out, MessageType schema) throws IOException {
    file = new HashingFile(out);
    writer = new ParquetFileWriter(file, schema, ParquetFileWriter.Mode.OVERWRITE, RowGroupEncoder.PAGE_BYTES, 0,
        COLUMN_INDEX_TRUNCATE_LENGTH, Integer.MAX_VALUE, false);
    writer.start();
  }

  void append(ColumnChunkPageWriteStore rowGroup, long rows) throws IOException {
    writer.startBlock(rows);
    rowGroup.flushToFileWriter(writer);
    writer.endBlock();
    rowGroup.close();
  }

  Written finish() throws IOException {
    ended = true;
    writer.end(Map.of("writer.model.name", "edgeloop"));
    return new Written(HexFormat.of().formatHex(file.digest.digest()), file.position);
  }

  /** Closes the file if it was not finished (the caller deletes it). */
  @Override
  public void close() throws IOException {
    if (!ended && file.stream != null) {
      file.stream.close();
    }
  }

  private static final class HashingFile implements OutputFile {
    private final Path path;
    private final MessageDigest digest;
    private Stream stream;
    private long position;

    HashingFile(Path path) {
      this.path = path;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      stream = new Stream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
      return stream;
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return path.toString();
    }

    private final class Stream extends PositionOutputStream {
      private final OutputStream out;

      Stream(OutputStream out) {
        this.out = out;
      }

      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    }
  }
}
