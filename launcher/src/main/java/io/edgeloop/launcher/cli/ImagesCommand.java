package io.edgeloop.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code edgeloop images list}: image builds of the packaging service. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "Model images built by the packaging service.", subcommands = ImagesCommand.List.class)
public final class ImagesCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List image builds with status, digest, size and bytes pushed.")
  static final class List implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.packaging, "/api/images"), System.out);
      return 0;
    }
  }
}
