package io.edgeloop.training.compute;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs commands in a container on a Docker engine (docker-java): the workspace is bind-mounted at
 * {@code /workspace} (the working directory and the only writable folder besides a small {@code /tmp};
 * {@code outputs/} in it comes back), the data folder read-only at {@code /data}. The container is
 * confined by its {@link ContainerSandbox}: a user other than root, every capability dropped, no new
 * privileges, a read-only root file system, memory / CPU / process limits, and no network unless the
 * target names one. Its environment is the run's variables only. Bind mounts need the engine to see
 * this host's paths (a local engine, or a remote one sharing the work directory).
 */
public class DockerComputeTarget implements ComputeTarget {
  static final String RUN_LABEL = "io.edgeloop.run-id";
  private final String name;
  private final DockerClient docker;
  private final ContainerSandbox sandbox;

  public DockerComputeTarget(String name, DockerClient docker, ContainerSandbox sandbox) {
    this.name = name;
    this.docker = docker;
    this.sandbox = sandbox;
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
    String user = userFor(execution.workspace());
    List<String> env = new ArrayList<>();
    execution.env().forEach((k, v) -> env.add(k + "=" + v));
    env.add("HOME=/tmp"); // the image's HOME may not exist for this user, and only /tmp and /workspace are writable
    env.add("EDGELOOP_DATA=/data");
    env.add("EDGELOOP_OUTPUTS=/workspace/outputs");
    execution.identity().forEach((k, v) -> env.add(k + "=" + v));
    CreateContainerResponse container =
        docker.createContainerCmd(execution.image())
            .withCmd("sh", "-c", execution.command())
            .withWorkingDir("/workspace")
            .withUser(user)
            .withEnv(env)
            .withLabels(Map.of(RUN_LABEL, execution.runId()))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode(sandbox.network())
                    .withCapDrop(Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges"))
                    .withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + sandbox.tmpBytes()))
                    .withMemory(sandbox.memoryBytes())
                    .withMemorySwap(sandbox.memoryBytes())
                    .withNanoCPUs((long) (sandbox.cpus() * 1_000_000_000L))
                    .withPidsLimit(sandbox.pidsLimit())
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

  /**
   * The container's user: the configured one, else this service's own uid:gid (the owner of the
   * workspace it created), else, when the service runs as root, nobody, who is then given the
   * workspace (root may chown) so that the script can write its outputs.
   */
  private String userFor(Path workspace) throws IOException {
    String user = sandbox.user();
    int ownerUid = (Integer) Files.getAttribute(workspace, "unix:uid");
    if (user == null) {
      user = ownerUid == 0 ? ContainerSandbox.NOBODY : ownerUid + ":" + Files.getAttribute(workspace, "unix:gid");
    }
    if (ownerUid == 0) {
      String[] ids = user.split(":", 2);
      int uid = Integer.parseInt(ids[0]);
      int gid = ids.length > 1 ? Integer.parseInt(ids[1]) : uid;
      try (var paths = Files.walk(workspace)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
    return user;
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

  /** Splits Docker's log frames into lines per stream, each line bounded ({@link LineAssembler}). */
  private static final class LineSplitter extends ResultCallback.Adapter<Frame> {
    private final LineAssembler out;
    private final LineAssembler err;

    LineSplitter(LogSink log) {
      this.out = new LineAssembler("stdout", log, LineAssembler.MAX_CHARS);
      this.err = new LineAssembler("stderr", log, LineAssembler.MAX_CHARS);
    }

    @Override
    public void onNext(Frame frame) {
      (frame.getStreamType() == StreamType.STDERR ? err : out).append(new String(frame.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void onComplete() {
      out.finish();
      err.finish();
      super.onComplete();
    }
  }
}
