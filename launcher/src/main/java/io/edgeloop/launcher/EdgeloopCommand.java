package io.edgeloop.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edgeloop} entry point. */
@Command(
    name = "edgeloop",
    mixinStandardHelpOptions = true,
    version = "edgeloop 0.1.0-SNAPSHOT",
    description = "Event-driven MLOps for data that stays on-premises or at the edge.",
    subcommands = {
      UpCommand.class,
      io.edgeloop.launcher.demo.DemoCommand.class,
      io.edgeloop.launcher.cli.DatasetsCommand.class,
      io.edgeloop.launcher.cli.RunsCommand.class,
      io.edgeloop.launcher.cli.ModelsCommand.class,
      io.edgeloop.launcher.cli.ImagesCommand.class,
      io.edgeloop.launcher.cli.DeploymentsCommand.class,
      io.edgeloop.launcher.cli.EventsCommand.class
    })
public final class EdgeloopCommand {
  public static void main(String[] args) {
    // Until the first Spring context configures logging, keep the embedded broker quiet.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int exit =
        new CommandLine(new EdgeloopCommand())
            .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
              // Expected failures (a service down, an HTTP error) read as one line, not a stack trace.
              if (e instanceof java.io.IOException || e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("edgeloop: " + e.getMessage());
                return 1;
              }
              throw e;
            })
            .execute(args);
    System.exit(exit);
  }
}
