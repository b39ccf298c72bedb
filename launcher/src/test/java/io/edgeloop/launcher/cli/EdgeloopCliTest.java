package io.edgeloop.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: global options anywhere, the token's precedence, only the named group built. */
class EdgeloopCliTest {
  @TempDir Path dir;

  private static GlobalOptions parse(String... args) {
    CommandLine line = EdgeloopCli.commandLine(Map.of(), args);
    line.parseArgs(args);
    return ((EdgeloopCli) line.getCommand()).options();
  }

  @Test
  void shouldTakeTheOutputFormatAnywhereOnTheLine() {
    assertThat(parse("runs", "list").output).isEqualTo(GlobalOptions.Format.table);
    assertThat(parse("-o", "json", "runs", "list").output).isEqualTo(GlobalOptions.Format.json);
    assertThat(parse("runs", "-o", "yaml", "show", "x").output).isEqualTo(GlobalOptions.Format.yaml);
    assertThat(parse("runs", "show", "x", "--output", "json", "--token", "t").output).isEqualTo(GlobalOptions.Format.json);
    assertThat(parse("models", "list", "--token", "t").token).isEqualTo("t");
  }

  @Test
  void shouldFindTheCommandPastOptionsAndTheirValues() {
    assertThat(EdgeloopCli.commandName(new String[] {"-o", "json", "--token", "x", "runs", "list"})).isEqualTo("runs");
    assertThat(EdgeloopCli.commandName(new String[] {"--output=json", "models"})).isEqualTo("models");
    assertThat(EdgeloopCli.commandName(new String[] {"--help"})).isNull();
  }

  @Test
  void shouldBuildOnlyTheGroupThatTheLineNames() {
    CommandLine line = EdgeloopCli.commandLine(Map.of(), new String[] {"runs", "list"});
    assertThat((Object) line.getSubcommands().get("runs").getCommand()).isInstanceOf(RunsCommand.class);
    assertThat(line.getSubcommands().get("models").getCommandSpec().userObject()).isNotInstanceOf(ModelsCommand.class);
    assertThat(line.getSubcommands().get("models").getCommandSpec().usageMessage().description()).containsExactly(ModelsCommand.DESCRIPTION);
  }

  @Test
  void shouldTakeTheTokenFromTheFlagThenTheEnvironmentThenTheAdminTokenFile() throws Exception {
    Path file = Files.writeString(dir.resolve("admin.token"), "elt_fromfile\n");
    assertThat(Token.resolve("elt_flag", "elt_env", file)).isEqualTo(new Token("elt_flag", "--token"));
    assertThat(Token.resolve(null, "elt_env", file)).isEqualTo(new Token("elt_env", "EDGELOOP_TOKEN"));
    assertThat(Token.resolve(null, null, file)).isEqualTo(new Token("elt_fromfile", file.toString()));
    assertThat(Token.resolve(null, " ", dir.resolve("absent")).present()).isFalse();
  }

  @Test
  void shouldReadExpiriesAsPeopleWriteThem() {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    assertThat(TokensCommand.expiresAt("30d", now)).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
    assertThat(TokensCommand.expiresAt("12h", now)).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
    assertThat(TokensCommand.expiresAt("P2D", now)).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    assertThat(TokensCommand.expiresAt("2027-01-31T00:00:00Z", now)).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokensCommand.expiresAt("soon", now))
        .isInstanceOf(CliException.class).hasMessageStartingWith("--expires soon: give 30d");
  }
}
