package io.edgeloop.ingest.format;

/**
 * Why a line cannot be read, found while the line's number in the whole input is not yet known
 * (chunks are parsed in parallel): {@code lineInChunk} counts from the chunk's first line, and the
 * message is {@code lead + <line number> + detail} once the lines of the chunks before it are counted.
 *
 * @param firstRowText the line's text when it was the chunk's first row and had the wrong number of
 *     fields: if no row came before it, the wrong delimiter may be the reason
 */
record LineProblem(String reasonCode, String lead, long lineInChunk, String detail, String firstRowText) {

  LineProblem(String reasonCode, long lineInChunk, String detail, String firstRowText) {
    this(reasonCode, "line ", lineInChunk, detail, firstRowText);
  }

  RejectedInputException at(long linesBefore) {
    return new RejectedInputException(reasonCode, lead + (linesBefore + lineInChunk) + detail);
  }

  /** A problem the reader found between chunks, reported once the chunks before it are counted. */
  static final class Found extends Exception {
    final transient LineProblem problem;

    Found(LineProblem problem) {
      super(problem.reasonCode() + ": " + problem.detail(), null, false, false);
      this.problem = problem;
    }
  }
}
