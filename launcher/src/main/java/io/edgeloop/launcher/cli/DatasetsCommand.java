package io.edgeloop.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code edgeloop datasets list|show}: datasets and their versions, from the ingest service. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "Datasets landed by the ingest service.",
    subcommands = {DatasetsCommand.List.class, DatasetsCommand.Show.class})
public final class DatasetsCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List datasets.")
  static final class List implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.ingest, "/api/datasets"), System.out);
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a dataset's versions (schema, rows, sha256, source).")
  static final class Show implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.ingest, "/api/datasets/" + name), System.out);
      return 0;
    }
  }
}
