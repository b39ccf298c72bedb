package io.edgeloop.training.compute;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs commands in a container on a Docker engine (docker-java): the workspace is bind-mounted at
 * {@code /workspace} (the working directory; {@code outputs/} in it comes back), the data folder
 * read-only at {@code /data}; no network. Bind mounts need the engine to see this host's paths (a
 * local engine, or a remote one sharing the work directory).
 */
public class DockerComputeTarget implements ComputeTarget {
  static final String RUN_LABEL = "io.edgeloop.run-id";
  private final String name;
  private final DockerClient docker;

  public DockerComputeTarget(String name, DockerClient docker) {
    this.name = name;
    this.docker = docker;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "docker";
  }

  @Override
  public ExecutionResult execute(Execution execution, LogSink log, Duration timeout, BooleanSupplier canceled)
      throws IOException, InterruptedException {
    if (execution.image() == null) {
      throw new IOException("compute target '" + name + "' is a Docker engine: the run's environment needs an image");
    }
    InspectImageResponse image;
    try {
      image = docker.inspectImageCmd(execution.image()).exec();
    } catch (NotFoundException e) {
      throw new IOException("image " + execution.image() + " is not on the Docker engine of target '" + name + "'");
    } catch (RuntimeException e) {
      throw new IOException("Docker engine of target '" + name + "' is unreachable: " + e.getMessage(), e);
    }
    List<String> env = new ArrayList<>();
    execution.env().forEach((k, v) -> env.add(k + "=" + v));
    env.add("EDGELOOP_DATA=/data");
    env.add("EDGELOOP_OUTPUTS=/workspace/outputs");
    CreateContainerResponse container =
        docker.createContainerCmd(execution.image())
            .withCmd("sh", "-c", execution.command())
            .withWorkingDir("/workspace")
            .withEnv(env)
            .withLabels(Map.of(RUN_LABEL, execution.runId()))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode("none")
                    .withBinds(
                        new Bind(execution.workspace().toAbsolutePath().toString(), new Volume("/workspace")),
                        new Bind(execution.dataDir().toAbsolutePath().toString(), new Volume("/data"), AccessMode.ro)))
            .exec();
    String id = container.getId();
    ResultCallback.Adapter<Frame> logs = null;
    try {
      docker.startContainerCmd(id).exec();
      logs = docker.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true).exec(new LineSplitter(log));
      long deadline = System.nanoTime() + timeout.toNanos();
      ExecutionResult.Outcome outcome = ExecutionResult.Outcome.EXITED;
      // Polling the container state (rather than the streaming wait call) keeps working across engine versions and hiccups.
      while (Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning())) {
        if (canceled.getAsBoolean()) {
          outcome = ExecutionResult.Outcome.CANCELED;
        } else if (System.nanoTime() > deadline) {
          outcome = ExecutionResult.Outcome.TIMED_OUT;
        }
        if (outcome != ExecutionResult.Outcome.EXITED) {
          kill(id);
          break;
        }
        Thread.sleep(200);
      }
      Long exit = null;
      for (int i = 0; i < 150 && exit == null; i++) {
        var state = docker.inspectContainerCmd(id).exec().getState();
        exit = Boolean.TRUE.equals(state.getRunning()) ? null : state.getExitCodeLong();
        if (exit == null) {
          Thread.sleep(200);
        }
      }
      logs.awaitCompletion(10, TimeUnit.SECONDS);
      return new ExecutionResult(outcome, exit == null ? -1 : exit.intValue(), "docker:" + execution.image() + "@" + image.getId());
    } finally {
      closeQuietly(logs);
      remove(id);
    }
  }

  private void kill(String id) {
    try {
      docker.killContainerCmd(id).exec();
    } catch (com.github.dockerjava.api.exception.ConflictException | NotFoundException alreadyStopped) {
      // it ended on its own meanwhile
    }
  }

  /** Streaming calls hold a pooled connection until closed. */
  private static void closeQuietly(java.io.Closeable callback) {
    if (callback != null) {
      try {
        callback.close();
      } catch (IOException ignored) {
        // the stream is gone either way
      }
    }
  }

  @Override
  public void cleanUp(String runId) {
    docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_LABEL, runId)).exec()
        .forEach(c -> remove(c.getId()));
  }

  private void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException ignored) {
      // already gone
    }
  }

  /** Splits Docker's log frames into lines per stream. */
  private static final class LineSplitter extends ResultCallback.Adapter<Frame> {
    private final LogSink log;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    LineSplitter(LogSink log) {
      this.log = log;
    }

    @Override
    public void onNext(Frame frame) {
      boolean isErr = frame.getStreamType() == StreamType.STDERR;
      StringBuilder buf = isErr ? err : out;
      buf.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
      for (int nl; (nl = buf.indexOf("\n")) >= 0; ) {
        log.line(isErr ? "stderr" : "stdout", buf.substring(0, nl));
        buf.delete(0, nl + 1);
      }
    }

    @Override
    public void onComplete() {
      if (!out.isEmpty()) {
        log.line("stdout", out.toString());
      }
      if (!err.isEmpty()) {
        log.line("stderr", err.toString());
      }
      super.onComplete();
    }
  }
}
