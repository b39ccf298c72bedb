package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A CLI command over the services' REST APIs: it finds the global options on the root command,
 * resolves where the services are and which token to send, and prints for people or for scripts.
 */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DataDir dataDir;
  Connection connection;
  ApiClient api;
  Output output;

  @Override
  public final Integer call() throws Exception {
    GlobalOptions options = ((EdgeloopCli) spec.root().userObject()).options();
    connection = Connection.of(options, dataDir.path());
    api = connection.api();
    output = new Output(options.output, System.out);
    return run();
  }

  /** The command itself; returns the exit code. */
  abstract int run() throws Exception;

  ApiClient.Call call(Service service, String method, String path) {
    return api.call(service, connection.url(service), method, path);
  }

  /** {@code GET path} as a viewer; a 404 is reported as {@code missing}. */
  JsonNode get(Service service, String path, String missing) {
    return call(service, "GET", path).missing(missing).json();
  }

  JsonNode get(Service service, String path) {
    return call(service, "GET", path).json();
  }

  /** Like {@link #get(Service, String)}, but an answer that cannot be had is empty (for extra columns from a second service). */
  JsonNode optional(Service service, String path) {
    try {
      return get(service, path);
    } catch (CliException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  /** Prints {@code rows} for people as {@code table}, one row of {@code cells} each, or as they came with -o json|yaml. */
  int list(JsonNode rows, Table table, java.util.function.Function<JsonNode, Object[]> cells) {
    if (!output.raw(rows)) {
      rows.forEach(row -> table.row(cells.apply(row)));
      table.print(output.out());
    }
    return 0;
  }

  /** A path segment as the user typed it, encoded for a URL. */
  static String segment(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
