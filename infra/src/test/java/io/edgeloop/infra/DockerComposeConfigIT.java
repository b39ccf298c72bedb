package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docker-compose.yml as the compose tool itself reads it ({@code docker-compose} v1 or {@code docker compose} v2). */
class DockerComposeConfigIT {

  @Test
  void composeAcceptsTheFileAndSeesEveryService() throws Exception {
    Optional<List<String>> compose = composeCommand();
    assumeTrue(compose.isPresent(), "neither `docker-compose` nor `docker compose` is installed (Debian: apt-get install docker-compose)");

    Result quiet = run(compose.get(), "-f", "docker-compose.yml", "config", "-q");
    Result services = run(compose.get(), "-f", "docker-compose.yml", "config", "--services");

    assertThat(quiet.exitCode).as(quiet.output).isZero();
    assertThat(services.output.lines().map(String::strip).toList()).containsExactlyInAnyOrder(
        "kafka", "azurite", "postgres", "registry", "prometheus", "grafana",
        "ingest-service", "training-service", "packaging-service", "deploy-service");
  }

  @Test
  void composeRejectsAnInvalidFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Optional<List<String>> compose = composeCommand();
    assumeTrue(compose.isPresent(), "neither `docker-compose` nor `docker compose` is installed (Debian: apt-get install docker-compose)");
    java.nio.file.Files.writeString(dir.resolve("bad.yml"), "services:\n  x:\n    image: a\n    ports: 8080\n    restart: sometimes-maybe\n");

    assertThat(run(compose.get(), "-f", dir.resolve("bad.yml").toString(), "config", "-q").exitCode).isNotZero();
  }

  private static Optional<List<String>> composeCommand() throws InterruptedException {
    for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      try {
        List<String> version = new ArrayList<>(candidate);
        version.add("version");
        if (run(version).exitCode == 0) {
          return Optional.of(candidate);
        }
      } catch (IOException notInstalled) {
        // try the next one
      }
    }
    return Optional.empty();
  }

  private static Result run(List<String> command, String... args) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of(args));
    Process process = new ProcessBuilder(full).directory(InfraFiles.dir().toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, output + " (timed out)");
    }
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
