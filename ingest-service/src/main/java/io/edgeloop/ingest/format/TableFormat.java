package io.edgeloop.ingest.format;

import io.edgeloop.storage.dataset.Column;
import java.util.List;
import java.util.Locale;

/**
 * How to read one input: its kind, field delimiter, whether a header line comes first, and the
 * declared columns (null: taken from the header / JSON keys, types inferred from the first rows).
 * Gzip is recognised by its magic bytes, whatever the name.
 *
 * @param delimiter {@code null} for runs of spaces/tabs (leading and trailing ones ignored), else one character
 */
public record TableFormat(Kind kind, Character delimiter, boolean header, List<Column> columns) {

  public enum Kind {
    CSV, TEXT, JSONL, AUTO
  }

  public TableFormat {
    columns = columns == null ? null : List.copyOf(columns);
  }

  public static final TableFormat CSV_WITH_HEADER = new TableFormat(Kind.CSV, ',', true, null);
  public static final TableFormat JSON_LINES = new TableFormat(Kind.JSONL, null, false, null);

  /** Settles {@link Kind#AUTO} by the file name ({@code .csv}, {@code .jsonl}/{@code .ndjson}/{@code .json}, {@code .txt}/{@code .dat}, each optionally {@code .gz}). */
  public TableFormat resolve(String fileName) throws RejectedInputException {
    if (kind != Kind.AUTO) {
      return this;
    }
    String name = fileName.toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
    if (name.endsWith(".csv")) {
      return new TableFormat(Kind.CSV, delimiter == null ? ',' : delimiter, header, columns);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return new TableFormat(Kind.JSONL, null, false, columns);
    }
    if (name.endsWith(".txt") || name.endsWith(".dat") || name.endsWith(".tsv")) {
      return new TableFormat(Kind.TEXT, name.endsWith(".tsv") ? '\t' : delimiter, header, columns);
    }
    throw new RejectedInputException(RejectedInputException.UNKNOWN_FORMAT,
        "cannot tell the format of '" + fileName + "': use .csv, .txt, .dat, .tsv, .jsonl, .ndjson (optionally .gz) or configure the format");
  }

  /** A short name for manifests: csv, text, jsonl. */
  public String label() {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
