package io.edgeloop.launcher.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code edgeloop deployments list|rollback}: rollouts of the deploy service. */
@Command(name = "deployments", mixinStandardHelpOptions = true, description = "Deployments to edge targets: history and rollback.",
    subcommands = {DeploymentsCommand.List.class, DeploymentsCommand.Rollback.class})
public final class DeploymentsCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Deployment history, newest first.")
  static final class List implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().get(urls.deploy, "/api/deployments"), System.out);
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Roll TARGET back to an earlier model VERSION.")
  static final class Rollback implements Callable<Integer> {
    @Mixin ServiceUrls urls;
    @Mixin Output output;
    @Parameters(index = "0", paramLabel = "TARGET") String target;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    @Override
    public Integer call() throws Exception {
      output.print(new ApiClient().post(urls.deploy, "/api/targets/" + target + "/rollback", Map.of("version", version)), System.out);
      return 0;
    }
  }
}
