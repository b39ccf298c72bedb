package io.edgeloop.ingest.format;

/**
 * An input that cannot become a dataset version; {@code reasonCode} is stable (metrics, DataRejected,
 * quarantine reason files) and the message says what and where (line, column).
 */
public class RejectedInputException extends Exception {
  public static final String EMPTY = "empty";
  public static final String NO_ROWS = "no_rows";
  public static final String CORRUPT_GZIP = "corrupt_gzip";
  public static final String RAGGED_ROWS = "ragged_rows";
  public static final String WRONG_DELIMITER = "wrong_delimiter";
  public static final String BAD_VALUE = "bad_value";
  public static final String INVALID_ENCODING = "invalid_encoding";
  public static final String INVALID_JSON = "invalid_json";
  public static final String UNKNOWN_FORMAT = "unknown_format";
  public static final String SCHEMA_MISMATCH = "schema_mismatch";
  public static final String TOO_LARGE = "too_large";
  public static final String LINE_TOO_LONG = "line_too_long";
  public static final String INTERNAL_ERROR = "internal_error";
  public static final String LINK_OUTSIDE_SHARE = "link_outside_share";
  public static final String UNREADABLE = "unreadable";

  private final String reasonCode;

  public RejectedInputException(String reasonCode, String message) {
    super(message);
    this.reasonCode = reasonCode;
  }

  public RejectedInputException(String reasonCode, String message, Throwable cause) {
    super(message, cause);
    this.reasonCode = reasonCode;
  }

  public String reasonCode() {
    return reasonCode;
  }
}
