package io.edgeloop.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code edgeloop models ...}: the model registry of the training service. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Registered models: list, inspect, promote.",
    subcommands = {ModelsCommand.List.class, ModelsCommand.Show.class, ModelsCommand.Promote.class})
public final class ModelsCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered models.")
  static final class List implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.training, "/api/models"), System.out);
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A model's versions, aliases, metrics and lineage.")
  static final class Show implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.training, "/api/models/" + name), System.out);
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make VERSION the champion (by hand, overriding the champion/challenger rule).")
  static final class Promote implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().post(urls.training, "/api/models/" + name + "/versions/" + version + "/promote", null), System.out);
      return 0;
    }
  }
}
