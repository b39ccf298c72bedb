package io.edgeloop.security.web;

/**
 * The service's security configuration would leave its API open (or unable to check anyone): it
 * refuses to start, and its one-line message says why and what to set.
 */
public final class InsecureConfigurationException extends RuntimeException {
  private final String action;

  InsecureConfigurationException(String message, String action) {
    super(message);
    this.action = action;
  }

  /** What to change. */
  public String action() {
    return action;
  }
}
