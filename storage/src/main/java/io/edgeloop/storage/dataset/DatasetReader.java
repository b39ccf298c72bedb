package io.edgeloop.storage.dataset;

import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.LocalArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Reads stored dataset versions: index, manifest, and the Parquet data (checked against the
 * manifest's sha256). Usage: {@code DatasetReader.of(store).read("turbofan", 3).column("sensor_2").asDoubles()}.
 * Blobs of a remote store are downloaded to a temporary file first (Parquet needs random access).
 */
public final class DatasetReader {
  private final ArtifactStore store;

  private DatasetReader(ArtifactStore store) {
    this.store = store;
  }

  public static DatasetReader of(ArtifactStore store) {
    return new DatasetReader(store);
  }

  /** The dataset's index, or empty when no version of it was ever stored. */
  public Optional<DatasetIndex> index(String dataset) throws IOException {
    try (InputStream in = store.open(DatasetLayout.index(dataset))) {
      return Optional.of(DatasetJson.mapper().readValue(in, DatasetIndex.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The newest version, or 0 when there is none. */
  public long latestVersion(String dataset) throws IOException {
    return index(dataset).map(DatasetIndex::latestVersion).orElse(0L);
  }

  public DatasetManifest manifest(String dataset, long version) throws IOException {
    try (InputStream in = store.open(DatasetLayout.manifest(dataset, version))) {
      return DatasetJson.mapper().readValue(in, DatasetManifest.class);
    }
  }

  /** The whole version in memory. */
  public DatasetTable read(String dataset, long version) throws IOException {
    DatasetManifest manifest = manifest(dataset, version);
    return withVerifiedFile(manifest, DatasetReader::readParquet);
  }

  /** Streams the version row by row (values boxed as in {@link DatasetColumn}); bounded memory. */
  public void forEachRow(String dataset, long version, Consumer<Object[]> action) throws IOException {
    DatasetManifest manifest = manifest(dataset, version);
    withVerifiedFile(manifest, file -> {
      forEachRow(file, action);
      return null;
    });
  }

  private interface FileFunction<T> {
    T apply(Path file) throws IOException;
  }

  private <T> T withVerifiedFile(DatasetManifest manifest, FileFunction<T> function) throws IOException {
    if (store instanceof LocalArtifactStore local) {
      Path file = local.path(manifest.dataKey());
      verify(manifest, Files.newInputStream(file));
      return function.apply(file);
    }
    Path tmp = Files.createTempFile("edgeloop-dataset-", ".parquet");
    try {
      try (InputStream in = store.open(manifest.dataKey())) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      verify(manifest, Files.newInputStream(tmp));
      return function.apply(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void verify(DatasetManifest manifest, InputStream data) throws IOException {
    String actual = sha256(data);
    if (!actual.equals(manifest.sha256())) {
      throw new IOException(
          "dataset " + manifest.dataset() + "@" + manifest.version() + " is corrupt: sha256 " + actual + ", manifest says " + manifest.sha256());
    }
  }

  /** Hex sha256 of {@code in} (closed afterwards). */
  public static String sha256(InputStream in) throws IOException {
    try (DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      digest.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a local Parquet file completely. */
  public static DatasetTable readParquet(Path file) throws IOException {
    List<List<Object>> values = new ArrayList<>();
    List<Column> schema = forEachRow(file, row -> {
      for (int c = 0; c < row.length; c++) {
        if (values.size() <= c) {
          values.add(new ArrayList<>());
        }
        values.get(c).add(row[c]);
      }
    });
    List<DatasetColumn> columns = new ArrayList<>();
    long rows = 0;
    for (int c = 0; c < schema.size(); c++) {
      Object[] column = c < values.size() ? values.get(c).toArray() : new Object[0];
      rows = column.length;
      columns.add(new DatasetColumn(schema.get(c).name(), schema.get(c).type(), column));
    }
    return new DatasetTable(columns, rows);
  }

  /** Streams a local Parquet file row by row; returns its schema. */
  public static List<Column> forEachRow(Path file, Consumer<Object[]> action) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      MessageType parquet = reader.getFooter().getFileMetaData().getSchema();
      List<Column> schema = ParquetSchemas.fromParquet(parquet);
      String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      List<ColumnDescriptor> descriptors = parquet.getColumns();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new NoopConverter(), parquet, createdBy);
        ColumnReader[] readers = new ColumnReader[descriptors.size()];
        for (int c = 0; c < readers.length; c++) {
          readers[c] = store.getColumnReader(descriptors.get(c));
        }
        for (long r = 0; r < pages.getRowCount(); r++) {
          Object[] row = new Object[readers.length];
          for (int c = 0; c < readers.length; c++) {
            row[c] = value(readers[c], descriptors.get(c));
            readers[c].consume();
          }
          action.accept(row);
        }
      }
      return schema;
    }
  }

  private static Object value(ColumnReader reader, ColumnDescriptor descriptor) {
    if (reader.getCurrentDefinitionLevel() < descriptor.getMaxDefinitionLevel()) {
      return null;
    }
    return switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
      case INT64 -> reader.getLong();
      case INT32 -> (long) reader.getInteger();
      case DOUBLE -> reader.getDouble();
      case FLOAT -> (double) reader.getFloat();
      case BOOLEAN -> reader.getBoolean();
      case BINARY, FIXED_LEN_BYTE_ARRAY -> reader.getBinary().toStringUsingUTF8();
      default -> throw new IllegalStateException("unsupported " + descriptor);
    };
  }

  /** Column readers need a converter tree, though values are pulled directly. */
  private static final class NoopConverter extends GroupConverter {
    @Override
    public Converter getConverter(int fieldIndex) {
      return new PrimitiveConverter() {};
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
