package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus's own checker on the shipped configuration, both target variants, and the alert rules' unit tests. */
class PrometheusConfigIT {
  private static final Path PROMTOOL = Path.of(System.getenv().getOrDefault("PROMTOOL_BIN", "/usr/bin/promtool"));

  @Test
  void oneCommandModeConfigurationIsValid() throws Exception {
    assertThat(promtool("check", "config", InfraFiles.prometheusDir().resolve("prometheus.yml").toString()))
        .contains("SUCCESS: 1 rule files found").doesNotContain("FAILED");
  }

  @Test
  void composeConfigurationIsValid(@TempDir Path dir) throws Exception {
    Path prometheus = InfraFiles.prometheusDir();
    Files.copy(prometheus.resolve("prometheus.yml"), dir.resolve("prometheus.yml"));
    Files.copy(prometheus.resolve("alerts.yml"), dir.resolve("alerts.yml"));
    Files.createDirectories(dir.resolve("targets"));
    try (Stream<Path> files = Files.list(prometheus.resolve("targets-compose"))) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve("targets").resolve(file.getFileName()));
      }
    }

    assertThat(promtool("check", "config", dir.resolve("prometheus.yml").toString())).doesNotContain("FAILED");
  }

  @Test
  void alertRulesAreValid() throws Exception {
    assertThat(promtool("check", "rules", InfraFiles.prometheusDir().resolve("alerts.yml").toString())).contains("SUCCESS");
  }

  @Test
  void alertRulesFireOnlyWhereTheirUnitTestsSay() throws Exception {
    assertThat(promtool("test", "rules", InfraFiles.prometheusDir().resolve("tests/alerts-test.yml").toString())).contains("SUCCESS");
  }

  @Test
  void promtoolRejectsARuleThatDoesNotParse(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool not found at " + PROMTOOL + ": apt-get install prometheus");
    Path broken = dir.resolve("broken.yml");
    Files.writeString(broken, "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(up[5m])\n");

    assertThat(run(List.of(PROMTOOL.toString(), "check", "rules", broken.toString())).exitCode).isNotZero();
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool not found at " + PROMTOOL + ": apt-get install prometheus");
    List<String> command = Stream.concat(Stream.of(PROMTOOL.toString()), Stream.of(args)).toList();
    Result result = run(command);
    assertThat(result.exitCode).as(String.join(" ", command) + "\n" + result.output).isZero();
    return result.output;
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(InfraFiles.dir().toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
