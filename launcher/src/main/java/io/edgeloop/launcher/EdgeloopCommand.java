package io.edgeloop.launcher;

import io.edgeloop.launcher.cli.DlqCommand;
import io.edgeloop.launcher.cli.EdgeloopCli;
import io.edgeloop.launcher.cli.EventsCommand;
import io.edgeloop.launcher.demo.DemoCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The full {@code edgeloop} launcher: {@code up}, {@code demo}, {@code events} and {@code dlq} (Spring, Kafka)
 * besides the REST commands, which the {@code edgeloop} script runs through the thin
 * {@link io.edgeloop.launcher.cli.ClientMain} instead.
 */
public final class EdgeloopCommand {
  public static void main(String[] args) {
    // Until the stack configures logging, keep libraries quiet on the console.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("up", new UpCommand());
    first.put("demo", new DemoCommand());
    first.put("events", new EventsCommand());
    first.put("dlq", new DlqCommand());
    picocli.CommandLine line = EdgeloopCli.commandLine(first, args);
    EdgeloopCli.withoutGlobalOptions(line.getSubcommands().get("up"));
    EdgeloopCli.withoutGlobalOptions(line.getSubcommands().get("demo"));
    EdgeloopCli.run(line, args);
  }

  private EdgeloopCommand() {}
}
