package io.edgeloop.training.dataset;

import io.edgeloop.automl.data.Table;
import io.edgeloop.storage.dataset.DatasetColumn;
import io.edgeloop.storage.dataset.DatasetReader;
import io.edgeloop.storage.dataset.DatasetTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads dataset versions into one in-memory {@link Table} for the built-in AutoML: the versions'
 * Parquet files are fetched and concatenated in version order (columns by name; a column missing
 * from a version is NaN / null there). int64, float64 and boolean columns become numeric, others text.
 */
@Component
public class DatasetLoader {
  private final DatasetFiles files;

  public DatasetLoader(DatasetFiles files) {
    this.files = files;
  }

  public Table load(List<DatasetVersion> versions, Path workDir) throws IOException {
    List<DatasetTable> parts = new ArrayList<>();
    for (Path file : files.fetch(versions, workDir)) {
      parts.add(DatasetReader.readParquet(file));
    }
    Map<String, String> types = new LinkedHashMap<>();
    long total = 0;
    for (DatasetTable part : parts) {
      part.columns().forEach(c -> types.putIfAbsent(c.name(), c.type()));
      total += part.rowCount();
    }
    if (total > Integer.MAX_VALUE) {
      throw new IOException("dataset too large for in-memory training: " + total + " rows");
    }
    int rows = (int) total;
    Table.Builder builder = Table.builder();
    for (Map.Entry<String, String> column : types.entrySet()) {
      boolean numeric = List.of("int64", "float64", "boolean").contains(column.getValue());
      double[] numbers = numeric ? new double[rows] : null;
      String[] texts = numeric ? null : new String[rows];
      int offset = 0;
      for (DatasetTable part : parts) {
        DatasetColumn c = part.columns().stream().filter(x -> x.name().equals(column.getKey())).findFirst().orElse(null);
        for (int i = 0; i < part.rowCount(); i++) {
          Object v = c == null ? null : c.values()[i];
          if (numeric) {
            numbers[offset + i] = v == null ? Double.NaN : v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
          } else {
            texts[offset + i] = v == null ? null : String.valueOf(v);
          }
        }
        offset += (int) part.rowCount();
      }
      if (numeric) {
        builder.numeric(column.getKey(), numbers);
      } else {
        builder.text(column.getKey(), texts);
      }
    }
    return builder.build();
  }
}
