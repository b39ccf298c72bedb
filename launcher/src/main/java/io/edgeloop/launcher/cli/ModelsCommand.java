package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code edgeloop models ...}: the model registry of the training service, and where its versions serve. */
@Command(name = "models", mixinStandardHelpOptions = true, description = ModelsCommand.DESCRIPTION,
    subcommands = {ModelsCommand.List.class, ModelsCommand.Show.class, ModelsCommand.Promote.class})
public final class ModelsCommand {
  static final String DESCRIPTION = "Registered models: list, inspect, promote.";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Models: versions, the champion and its primary metric, aliases, where it serves.")
  static final class List extends ApiCommand {
    @Override
    int run() {
      JsonNode models = get(Service.TRAINING, "/api/models");
      if (output.raw(models)) {
        return 0;
      }
      Map<String, java.util.List<String>> serving = serving(optional(Service.DEPLOY, "/api/targets"));
      Table table = Table.of("NAME", "VERSIONS", "LATEST", "CHAMPION", "METRIC", "ALIASES", "SERVING", "AGE");
      for (JsonNode model : models) {
        String name = Text.of(model, "name");
        JsonNode versions = optional(Service.TRAINING, "/api/models/" + segment(name)).path("versions");
        JsonNode champion = model.path("aliases").path("champion");
        JsonNode latest = versions.path(0);
        table.row(name, versions.size() > 0 ? versions.size() : "", "v" + Text.of(model, "latestVersion"),
            champion.isNumber() ? "v" + champion.asInt() : "",
            champion.isNumber() ? RunsCommand.primaryMetric(versions, champion.asInt()) : "",
            aliases(model.path("aliases")), String.join(", ", serving.getOrDefault(name, java.util.List.of())),
            Text.age(latest.path("createdAt")));
      }
      table.print(output.out());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A model's versions with aliases, metrics, run and data, and where it serves.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    int run() {
      JsonNode model = get(Service.TRAINING, "/api/models/" + segment(name), "no model '" + name + "'");
      if (output.raw(model)) {
        return 0;
      }
      KeyValues.create()
          .put("model", Text.of(model, "name"))
          .put("versions", model.path("versions").size())
          .put("latest", "v" + Text.of(model, "latestVersion"))
          .put("aliases", aliases(model.path("aliases")))
          .put("serving", String.join(", ", serving(optional(Service.DEPLOY, "/api/targets")).getOrDefault(name, java.util.List.of())))
          .print(output.out());
      output.line("");
      Table table = Table.of("VERSION", "ALIASES", "METRIC", "METRICS", "RUN", "DATA", "AGE");
      for (JsonNode v : model.path("versions")) {
        String primary = Text.of(v, "primaryMetric");
        Map<String, JsonNode> others = new LinkedHashMap<>();
        v.path("metrics").fields().forEachRemaining(e -> {
          if (!e.getKey().equals(primary)) {
            others.put(e.getKey(), e.getValue());
          }
        });
        java.util.List<String> otherMetrics = new ArrayList<>();
        others.forEach((k, value) -> otherMetrics.add(k + "=" + Text.number(value)));
        java.util.List<String> data = new ArrayList<>();
        v.path("lineage").path("datasets").forEach(d -> data.add(Text.of(d, "name") + " v" + Text.of(d, "version")));
        table.row("v" + Text.of(v, "version"), Text.list(v.path("aliases")),
            primary.isEmpty() ? "" : primary + "=" + Text.number(v.path("metrics").path(primary)), String.join(", ", otherMetrics),
            Text.of(v, "runId"), data.size() > 2 ? data.get(0) + " .. " + data.get(data.size() - 1) : String.join(", ", data),
            Text.age(v.path("createdAt")));
      }
      table.print(output.out());
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Make VERSION the champion by hand (overriding the champion/challenger rule); packaging and deploy act on the promotion.")
  static final class Promote extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    @Override
    int run() {
      JsonNode promoted = call(Service.TRAINING, "POST", "/api/models/" + segment(name) + "/versions/" + version + "/promote")
          .role(Role.OPERATOR).json();
      if (output.raw(promoted)) {
        return 0;
      }
      String primary = Text.of(promoted, "primaryMetric");
      KeyValues.create()
          .put("model", name + " v" + version)
          .put("aliases", Text.list(promoted.path("aliases")))
          .put("metric", primary.isEmpty() ? "" : primary + "=" + Text.number(promoted.path("metrics").path(primary)))
          .put("what follows", "training announces the promotion (ModelPromoted); packaging builds the version's image if it has none,\n"
              + "and deploy rolls it out to the targets whose policy takes champions")
          .put("follow with", "edgeloop events tail; edgeloop deployments list")
          .print(output.out());
      return 0;
    }
  }

  /** {@code champion=v3, staging=v4} of a model's alias map. */
  static String aliases(JsonNode aliases) {
    java.util.List<String> pairs = new ArrayList<>();
    aliases.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=v" + e.getValue().asText()));
    return String.join(", ", pairs);
  }

  /** Model name to {@code target v3} entries, from deploy's targets (what each runs now). */
  static Map<String, java.util.List<String>> serving(JsonNode targets) {
    Map<String, java.util.List<String>> serving = new LinkedHashMap<>();
    for (JsonNode target : targets) {
      JsonNode running = target.path("running");
      if (running.isObject()) {
        serving.computeIfAbsent(Text.of(running, "model"), m -> new ArrayList<>()).add(Text.of(target, "name") + " v" + Text.of(running, "version"));
      }
    }
    return serving;
  }
}
