package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code edgeloop targets list|show}: the deploy service's edge targets and what they serve. */
@Command(name = "targets", mixinStandardHelpOptions = true, description = TargetsCommand.DESCRIPTION,
    subcommands = {TargetsCommand.List.class, TargetsCommand.Show.class})
public final class TargetsCommand {
  static final String DESCRIPTION = "Edge targets: what each serves, whether it answers.";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Targets: kind, up, what they serve, deployments waiting, labels.")
  static final class List extends ApiCommand {
    @Override
    int run() {
      return list(get(Service.DEPLOY, "/api/targets"), Table.of("NAME", "KIND", "UP", "SERVING", "PENDING", "LABELS"),
          t -> new Object[] {Text.of(t, "name"), Text.of(t, "kind"), t.path("up").asBoolean() ? "yes" : "no", serving(t.path("running")),
              t.path("pending").asInt(), Text.pairs(t.path("labels"))});
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A target: what it serves (digest, as the target or the history says), labels, connection.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    int run() {
      JsonNode target = get(Service.DEPLOY, "/api/targets/" + segment(name), "no target '" + name + "'");
      if (output.raw(target)) {
        return 0;
      }
      JsonNode running = target.path("running");
      KeyValues.create()
          .put("target", Text.of(target, "name"))
          .put("kind", Text.of(target, "kind"))
          .put("up", target.path("up").asBoolean() ? "yes" : "no")
          .put("serving", running.isObject() ? serving(running) + " (" + Text.digest(Text.of(running, "digest")) + ", according to the "
              + Text.of(running, "source") + ")" : "nothing")
          .put("pending", target.path("pending").asInt())
          .put("labels", Text.pairs(target.path("labels")))
          .put("connection", Text.pairs(target.path("connection")))
          .print(output.out());
      return 0;
    }
  }

  static String serving(JsonNode running) {
    return running.isObject() ? Text.of(running, "model") + " v" + Text.of(running, "version") : "";
  }
}
