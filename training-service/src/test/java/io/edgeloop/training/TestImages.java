package io.edgeloop.training;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Docker image script runs use in tests: Debian's python3 and numpy on the locally imported
 * {@code local/debian:bookworm} (no registry is reachable). Built once with the docker CLI
 * ({@code --network host} for apt), skipped when it exists; tests skip when Docker or the base image is absent.
 */
final class TestImages {
  static final String PYTHON = "edgeloop-test/python3-numpy:bookworm";
  static final String BASE = "local/debian:bookworm";

  static synchronized String python() throws Exception {
    assumeTrue(Files.exists(Path.of("/var/run/docker.sock")), "no Docker engine at /var/run/docker.sock");
    assumeTrue(run("docker", "image", "inspect", BASE) == 0, "base image " + BASE + " is not imported (see environment.md)");
    if (run("docker", "image", "inspect", PYTHON) != 0) {
      Process build = new ProcessBuilder("docker", "build", "--network", "host", "-t", PYTHON, "-")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      try (OutputStream in = build.getOutputStream()) {
        in.write(("FROM " + BASE + "\n"
            + "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-numpy"
            + " && rm -rf /var/lib/apt/lists/*\n").getBytes(StandardCharsets.UTF_8));
      }
      assumeTrue(build.waitFor(10, TimeUnit.MINUTES) && build.exitValue() == 0, "could not build " + PYTHON + " (apt unreachable?)");
    }
    return PYTHON;
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private TestImages() {}
}
