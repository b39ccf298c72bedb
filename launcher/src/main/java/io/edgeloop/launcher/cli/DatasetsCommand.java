package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code edgeloop datasets list|show}: datasets and their versions, from the ingest service. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = DatasetsCommand.DESCRIPTION,
    subcommands = {DatasetsCommand.List.class, DatasetsCommand.Show.class})
public final class DatasetsCommand {
  static final String DESCRIPTION = "Datasets landed by the ingest service.";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Datasets: versions, newest version, its rows, columns.")
  static final class List extends ApiCommand {
    @Override
    int run() {
      return list(get(Service.INGEST, "/api/datasets"), Table.of("NAME", "VERSIONS", "LATEST", "ROWS", "COLUMNS"),
          d -> new Object[] {Text.of(d, "name"), Text.of(d, "versions"), "v" + Text.of(d, "latestVersion"), Text.of(d, "latestRows"),
              d.path("schema").size()});
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A dataset: its schema and every version (rows, state, source, sha256).")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    int run() {
      JsonNode index = get(Service.INGEST, "/api/datasets/" + segment(name), "no dataset '" + name + "'");
      if (output.raw(index)) {
        return 0;
      }
      java.util.List<String> columns = new ArrayList<>();
      index.path("schema").forEach(c -> columns.add(Text.of(c, "name") + ":" + Text.of(c, "type")));
      long rows = 0;
      for (JsonNode v : index.path("versions")) {
        rows += v.path("rows").asLong();
      }
      KeyValues.create()
          .put("dataset", Text.of(index, "dataset"))
          .put("versions", index.path("versions").size())
          .put("rows", rows + " in all")
          .put("columns", columns.size() + ": " + String.join(", ", columns))
          .print(output.out());
      output.line("");
      Table table = Table.of("VERSION", "ROWS", "STATE", "SOURCE", "SHA256");
      for (JsonNode v : index.path("versions")) {
        table.row("v" + Text.of(v, "version"), Text.of(v, "rows"), Text.of(v, "state"), Text.of(v, "sourceItem"),
            Text.of(v, "sha256").substring(0, Math.min(12, Text.of(v, "sha256").length())));
      }
      table.print(output.out());
      return 0;
    }
  }
}
