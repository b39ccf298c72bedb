package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeloop deployments list|rollback}: rollouts of the deploy service. */
@Command(name = "deployments", mixinStandardHelpOptions = true, description = DeploymentsCommand.DESCRIPTION,
    subcommands = {DeploymentsCommand.List.class, DeploymentsCommand.Rollback.class})
public final class DeploymentsCommand {
  static final String DESCRIPTION = "Deployments to edge targets: history and rollback.";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Deployment history, newest first: target, model version, status, what ran before.")
  static final class List extends ApiCommand {
    @Option(names = "--target", paramLabel = "NAME", description = "Only this target's deployments.") String target;
    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).") int limit;

    @Override
    int run() {
      return list(get(Service.DEPLOY, "/api/deployments?limit=" + limit + (target == null ? "" : "&target=" + segment(target))),
          Table.of("ID", "TARGET", "MODEL", "STATUS", "BEFORE", "TRIGGER", "TOOK", "AGE", "MESSAGE"),
          d -> new Object[] {Text.of(d, "id"), Text.of(d, "target"), Text.of(d, "modelName") + " v" + Text.of(d, "modelVersion"),
              Text.of(d, "status"), d.path("previousVersion").isNumber() ? "v" + d.path("previousVersion").asInt() : "",
              Text.of(d, "trigger"), Text.took(d.path("startedAt"), d.path("finishedAt")), Text.age(d.path("createdAt")), Text.of(d, "message")});
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Roll TARGET back to an earlier model VERSION (of the model it runs).")
  static final class Rollback extends ApiCommand {
    @Parameters(index = "0", paramLabel = "TARGET") String target;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    @Override
    int run() {
      JsonNode deployment = call(Service.DEPLOY, "POST", "/api/targets/" + segment(target) + "/rollback")
          .body(Map.of("version", version)).role(Role.OPERATOR).json();
      if (output.raw(deployment)) {
        return 0;
      }
      KeyValues.create()
          .put("rollback", Text.of(deployment, "target") + " to " + Text.of(deployment, "modelName") + " v" + Text.of(deployment, "modelVersion"))
          .put("deployment", Text.of(deployment, "id"))
          .put("status", Text.of(deployment, "status"))
          .put("running now", deployment.path("previousVersion").isNumber() ? "v" + deployment.path("previousVersion").asInt() : "")
          .put("follow with", "edgeloop deployments list --target " + target)
          .print(output.out());
      return 0;
    }
  }
}
