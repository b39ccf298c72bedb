package io.edgeloop.launcher.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import picocli.CommandLine;

/**
 * Run once by the {@code edgeloop} script, with {@code -XX:ArchiveClassesAtExit}, to make the thin
 * client's class data sharing archive: it goes through what a CLI call does (the command line, an
 * HTTP call, JSON, YAML, a table, a refusal) so that the archive holds those classes, and a real
 * call then loads them from it.
 */
public final class ClientWarmup {
  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(nowhere);
    System.setErr(nowhere);
    try {
      int closed;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closed = socket.getLocalPort();
      }
      String url = "http://127.0.0.1:" + closed;
      for (String[] call : new String[][] {
          {"--help"},
          {"runs", "list", "--training-url", url},
          {"runs", "show", "x", "-o", "yaml", "--training-url", url},
          {"models", "list", "-o", "json", "--training-url", url, "--deploy-url", url}}) {
        CommandLine line = EdgeloopCli.commandLine(Map.of(), call).setOut(new java.io.PrintWriter(nowhere)).setErr(new java.io.PrintWriter(nowhere));
        line.execute(call);
      }
      // Rendering and parsing that the refused calls above did not reach.
      var node = ApiClient.JSON.readTree("{\"a\":[{\"b\":1.5,\"c\":\"2026-12-02T06:13:54Z\"}],\"detail\":\"x\"}");
      new Output(GlobalOptions.Format.yaml, nowhere).raw(node);
      new Output(GlobalOptions.Format.json, nowhere).raw(node);
      Table.of("A", "B").row(Text.number(node.path("a").path(0).path("b")), Text.age(node.path("a").path(0).path("c"))).print(nowhere);
      KeyValues.create().put("a", "b\nc").print(nowhere);
      ApiClient.detail("{\"detail\":\"x\"}");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private ClientWarmup() {}
}
