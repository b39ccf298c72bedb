package io.edgeloop.contracts;

/** Why an input was quarantined instead of becoming a dataset version. */
public enum RejectionReason implements WireValues.Wire {
  EMPTY, NO_ROWS, CORRUPT_GZIP, RAGGED_ROWS, WRONG_DELIMITER, BAD_VALUE, INVALID_ENCODING,
  INVALID_JSON, UNKNOWN_FORMAT, SCHEMA_MISMATCH, TOO_LARGE, LINE_TOO_LONG, LINK_OUTSIDE_SHARE,
  INTERNAL_ERROR
}
