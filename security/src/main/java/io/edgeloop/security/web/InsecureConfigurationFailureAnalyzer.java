package io.edgeloop.security.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints an {@link InsecureConfigurationException} as its one line and the fix, without a stack trace. */
final class InsecureConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InsecureConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InsecureConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
