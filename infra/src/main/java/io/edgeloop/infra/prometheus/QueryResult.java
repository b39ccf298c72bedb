package io.edgeloop.infra.prometheus;

/**
 * What Prometheus answered to one instant query.
 *
 * @param success {@code status} was {@code success}: the expression parsed and evaluated
 * @param series how many series (or 1 for a scalar) came back; 0 means no data
 * @param error {@code errorType: error} when not successful, else empty
 */
public record QueryResult(boolean success, int series, String error) {

  public boolean hasData() {
    return success && series > 0;
  }
}
