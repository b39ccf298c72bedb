package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where a running one-command stack listens, as it writes it to {@code <data-dir>/stack.json} once
 * it is ready (and removes it when it stops): the CLI reads it, so no flags are needed.
 *
 * @param stackId the stack's id (kept in {@code <data-dir>/stack.id}; containers carry it)
 * @param pid the process that runs the stack
 * @param kafka the broker's bootstrap servers
 * @param services each service's base URL by name ({@code ingest-service}, ...)
 * @param edgeTarget the URL the edge target serves models on, or null when there is none
 * @param tokenFile the admin token file the services accept, or null
 * @param startedAt when the stack became ready
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackInfo(String stackId, long pid, String kafka, Map<String, String> services, String edgeTarget, String tokenFile,
    String startedAt) {
  public static final String FILE = "stack.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static StackInfo of(String stackId, String kafka, Map<String, String> services, String edgeTarget, Path tokenFile) {
    return new StackInfo(stackId, ProcessHandle.current().pid(), kafka, services, edgeTarget,
        tokenFile == null ? null : tokenFile.toAbsolutePath().toString(), Instant.now().toString());
  }

  /** The stack described in {@code dataDir}, if one wrote its file there. */
  public static Optional<StackInfo> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), StackInfo.class));
    } catch (IOException e) {
      return Optional.empty(); // half-written or foreign: as if absent; flags and defaults still work
    }
  }

  /** Writes this to {@code dataDir/stack.json}, replacing the file in one step. */
  public void write(Path dataDir) throws IOException {
    Path tmp = dataDir.resolve(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether the process that wrote this still runs (a killed stack leaves its file behind). */
  public boolean running() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  public String service(String name) {
    return services == null ? null : services.get(name);
  }
}
