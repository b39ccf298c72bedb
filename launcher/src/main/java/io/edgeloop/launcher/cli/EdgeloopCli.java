package io.edgeloop.launcher.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code edgeloop} command line: global options, and the commands over the services' REST
 * APIs. The commands that run the stack or read Kafka ({@code up}, {@code demo}, {@code events})
 * are added by the caller: the full launcher adds the real ones; the thin client (no Spring, no
 * Kafka on its classpath) only names them in its help.
 */
@Command(
    name = "edgeloop",
    mixinStandardHelpOptions = true,
    version = "edgeloop 0.1.0-SNAPSHOT",
    description = "Event-driven MLOps for data that stays on-premises or at the edge.",
    footer = {"", "Results print for people; -o json or -o yaml (anywhere on the line) prints what the service returned.",
        "The services are found through the running stack's <data-dir>/stack.json (default .edgeloop); --ingest-url,",
        "--training-url, --packaging-url, --deploy-url (or EDGELOOP_INGEST_URL etc.) point elsewhere."})
public final class EdgeloopCli {
  @Mixin GlobalOptions options;

  GlobalOptions options() {
    return options;
  }

  /**
   * The command line for {@code args}: {@code first} (name to command object or spec), then the REST
   * commands. Only the command group that {@code args} name is built from its classes; the others
   * are only named (with their descriptions), which spares a CLI call most of picocli's reflection.
   */
  public static CommandLine commandLine(Map<String, Object> first, String[] args) {
    CommandLine line = new CommandLine(new EdgeloopCli()).setCaseInsensitiveEnumValuesAllowed(true);
    first.forEach(line::addSubcommand);
    String wanted = commandName(args);
    Map<String, Object[]> groups = new LinkedHashMap<>();
    groups.put("datasets", new Object[] {DatasetsCommand.DESCRIPTION, (Supplier<Object>) DatasetsCommand::new});
    groups.put("runs", new Object[] {RunsCommand.DESCRIPTION, (Supplier<Object>) RunsCommand::new});
    groups.put("models", new Object[] {ModelsCommand.DESCRIPTION, (Supplier<Object>) ModelsCommand::new});
    groups.put("images", new Object[] {ImagesCommand.DESCRIPTION, (Supplier<Object>) ImagesCommand::new});
    groups.put("deployments", new Object[] {DeploymentsCommand.DESCRIPTION, (Supplier<Object>) DeploymentsCommand::new});
    groups.put("targets", new Object[] {TargetsCommand.DESCRIPTION, (Supplier<Object>) TargetsCommand::new});
    groups.put("tokens", new Object[] {TokensCommand.DESCRIPTION, (Supplier<Object>) TokensCommand::new});
    groups.forEach((name, group) -> {
      @SuppressWarnings("unchecked")
      Supplier<Object> command = (Supplier<Object>) group[1];
      line.addSubcommand(name, name.equals(wanted) ? command.get() : named(name, (String) group[0], "edgeloop " + name + " --help"));
    });
    return line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("edgeloop: " + message(e));
      if (System.getenv("EDGELOOP_DEBUG") != null) {
        e.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
  }

  /** The first word of {@code args} that is neither an option nor an option's value: the command. */
  static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (VALUE_OPTIONS.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return null;
  }

  private static final java.util.Set<String> VALUE_OPTIONS =
      java.util.Set.of("-o", "--output", "--token", "--ingest-url", "--training-url", "--packaging-url", "--deploy-url");

  /** A command that is only named here (with its description); {@code how} says how to run it. */
  static CommandSpec named(String name, String description, String how) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection((Runnable) () -> {
      throw new CliException("run '" + name + "' as: " + how);
    });
    spec.name(name).usageMessage().description(description);
    return spec;
  }

  /** Takes the global options off a command that does not use them ({@code up}, {@code demo}): they would only crowd its help. */
  public static void withoutGlobalOptions(CommandLine command) {
    for (CommandLine.Model.OptionSpec option : new java.util.ArrayList<>(command.getCommandSpec().options())) {
      if (option.inherited()) {
        command.getCommandSpec().remove(option);
      }
    }
  }

  /** One line for any failure: what it says, never a stack trace (EDGELOOP_DEBUG=1 prints one too). */
  static String message(Exception e) {
    if (e instanceof CliException || e instanceof IllegalStateException || e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (EDGELOOP_DEBUG=1 shows where)";
  }

  /** Runs {@code args} and exits with the command's code. */
  public static void run(CommandLine line, String[] args) {
    System.exit(line.execute(args));
  }
}
