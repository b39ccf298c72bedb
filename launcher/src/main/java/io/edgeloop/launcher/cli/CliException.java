package io.edgeloop.launcher.cli;

/** A failure the CLI reports as one plain line ({@code edgeloop: <message>}, exit 1). */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }
}
