package io.edgeloop.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edgeloop} entry point. */
@Command(
    name = "edgeloop",
    mixinStandardHelpOptions = true,
    version = "edgeloop 0.1.0-SNAPSHOT",
    description = "Event-driven MLOps for data that stays on-premises or at the edge.",
    subcommands = {UpCommand.class})
public final class EdgeloopCommand {
  public static void main(String[] args) {
    // Until the first Spring context configures logging, keep the embedded broker quiet.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int exit = new CommandLine(new EdgeloopCommand()).execute(args);
    System.exit(exit);
  }
}
