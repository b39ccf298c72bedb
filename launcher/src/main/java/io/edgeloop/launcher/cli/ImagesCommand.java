package io.edgeloop.launcher.cli;

import picocli.CommandLine.Command;

/** {@code edgeloop images list}: image builds of the packaging service. */
@Command(name = "images", mixinStandardHelpOptions = true, description = ImagesCommand.DESCRIPTION, subcommands = ImagesCommand.List.class)
public final class ImagesCommand {
  static final String DESCRIPTION = "Model images built by the packaging service.";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Image builds: status, size, bytes pushed, digest, age, and why a build failed.")
  static final class List extends ApiCommand {
    @Override
    int run() {
      return list(get(Service.PACKAGING, "/api/images"), Table.of("MODEL", "VERSION", "STATUS", "SIZE", "PUSHED", "DIGEST", "AGE", "REASON"),
          i -> new Object[] {Text.of(i, "model"), "v" + Text.of(i, "version"), Text.of(i, "status").toLowerCase(java.util.Locale.ROOT),
              Text.bytes(i.path("sizeBytes").asLong()), Text.bytes(i.path("pushedBytes").asLong()), Text.digest(Text.of(i, "digest")),
              Text.age(i.path("startedAt")), Text.of(i, "reason")});
    }
  }
}
