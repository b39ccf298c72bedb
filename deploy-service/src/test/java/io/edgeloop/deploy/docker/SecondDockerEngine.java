package io.edgeloop.deploy.docker;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second, real Docker engine for one test: its own {@code dockerd} (and the containerd it starts)
 * with its own data root, exec root, pid file, unix socket and bridge, so the shared engine on
 * {@code /var/run/docker.sock} is never touched. Containers publish their ports on {@link #address()}
 * ({@code 127.0.0.2}, the engine's "own address", as a remote engine has one): on {@code 127.0.0.1}
 * the two engines' port allocators, each unaware of the other, would pick the same ports, and the
 * second engine fails a container start after ten taken ports in a row. Needs root (the bridge, the
 * daemon). {@link #kill()} crashes the daemon (SIGKILL), {@link #start()} starts it again on the same
 * data root and socket; {@link #close()} removes everything it made.
 */
public final class SecondDockerEngine implements AutoCloseable {
  /** Where the engine publishes container ports (and where the deploy service reaches them). */
  public static final String ADDRESS = "127.0.0.2";

  private final Path dir;
  private final String bridge;
  private final Thread onExit = new Thread(this::close, "second-dockerd-cleanup");
  private Process daemon;
  private boolean closed;

  private SecondDockerEngine(Path dir, String bridge) {
    this.dir = dir;
    this.bridge = bridge;
  }

  /** Why no second engine can run here, or null. */
  public static String unavailable() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      if (!Integer.valueOf(0).equals(uid)) {
        return "a second dockerd needs root (uid " + uid + ")";
      }
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot tell whether this runs as root: " + e;
    }
    for (String binary : List.of("dockerd", "containerd", "ip", "docker")) {
      if (executable(binary).isEmpty()) {
        return "no " + binary + " binary on PATH";
      }
    }
    return null;
  }

  /** Makes the bridge and folders and starts the daemon; the caller closes it. */
  public static SecondDockerEngine create() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "el2d-"); // short: unix socket paths end at ~107 characters
    String bridge = "el2d" + UUID.randomUUID().toString().substring(0, 6);
    SecondDockerEngine engine = new SecondDockerEngine(dir, bridge);
    Runtime.getRuntime().addShutdownHook(engine.onExit);
    try {
      String subnet = freeSubnet();
      check(List.of("ip", "link", "add", bridge, "type", "bridge"), "create bridge " + bridge);
      check(List.of("ip", "addr", "add", subnet + ".1/24", "dev", bridge), "address bridge " + bridge);
      check(List.of("ip", "link", "set", bridge, "up"), "bring up bridge " + bridge);
      Files.writeString(dir.resolve("daemon.json"), "{}\n"); // not /etc/docker/daemon.json: nothing of the first engine's
      engine.start();
    } catch (IOException | RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  /** {@code unix://<dir>/docker.sock}. */
  public String host() {
    return "unix://" + dir.resolve("docker.sock");
  }

  public String address() {
    return ADDRESS;
  }

  /** Starts the daemon (again, on the same data root and socket) and waits until it answers. */
  public synchronized void start() throws IOException {
    List<String> command = List.of(executable("dockerd").orElseThrow().toString(),
        "--config-file", dir.resolve("daemon.json").toString(),
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("x").toString(),
        "--pidfile", dir.resolve("dockerd.pid").toString(),
        "--host", host(),
        "--storage-driver=vfs", "--iptables=false", "--ip6tables=false",
        "--ip=" + ADDRESS, "--bridge=" + bridge);
    daemon = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!answers()) {
      if (!daemon.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("the second dockerd did not come up (" + (daemon.isAlive() ? "no answer in 60 s" : "exited "
            + daemon.exitValue()) + "); its log ends: " + logTail());
      }
      sleep(200);
    }
  }

  /**
   * Crashes the daemon: SIGKILL, no shutdown. Its containerd and port proxies die with it (they
   * were started with a parent-death signal); running containers keep running under their shims
   * until the next start, which stops them.
   */
  public synchronized void kill() throws InterruptedException {
    daemon.destroyForcibly();
    if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the second dockerd (pid " + daemon.pid() + ") outlived SIGKILL");
    }
  }

  public synchronized boolean running() {
    return daemon != null && daemon.isAlive();
  }

  /** True when the daemon answers its API now. */
  public boolean answers() {
    return ModelServerImages.run(List.of("docker", "-H", host(), "version", "--format", "{{.Server.Version}}")) == 0;
  }

  /** {@code docker -H <this engine> args...}: its output (stdout and stderr). */
  public String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", host()));
    command.addAll(List.of(args));
    return ModelServerImages.output(command);
  }

  /** The last lines of the daemon's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Removes the engine's containers (starting it again when it is down, so that it stops them
   * itself), stops it (SIGTERM, then SIGKILL after 30 s), stops anything still running from its
   * folders, unmounts what it left mounted there, deletes its folder and the bridge.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != onExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
    try {
      if (daemon != null && !daemon.isAlive()) {
        start();
      }
      String ids = docker("ps", "-aq");
      for (String id : ids.split("\\s+")) {
        if (!id.isBlank() && id.matches("[0-9a-f]+")) {
          docker("rm", "-f", id);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("second dockerd: could not remove its containers: " + e);
    }
    if (daemon != null && daemon.isAlive()) {
      daemon.destroy(); // SIGTERM: dockerd stops its containerd and cleans up
      try {
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
          daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    killLeftovers();
    unmountAll();
    ModelServerImages.run(List.of("rm", "-rf", dir.toString()));
    ModelServerImages.run(List.of("ip", "link", "delete", bridge));
  }

  /** Processes started from this engine's folders (its containerd, shims, proxies) that outlived it: by pid. */
  private void killLeftovers() {
    String marker = dir.toString() + "/";
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path proc : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains(marker)) {
            ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
          }
        } catch (IOException gone) {
          // it ended meanwhile
        }
      }
    } catch (IOException e) {
      System.err.println("second dockerd: cannot list processes: " + e);
    }
  }

  /** dockerd bind-mounts its data root and network namespaces under its folders; a crash leaves them. */
  private void unmountAll() {
    for (int round = 0; round < 5; round++) {
      List<String> mounts = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
          String point = line.split(" ")[4].replace("\\040", " ");
          if (point.equals(dir.toString()) || point.startsWith(dir + "/")) {
            mounts.add(point);
          }
        }
      } catch (IOException e) {
        return;
      }
      if (mounts.isEmpty()) {
        return;
      }
      mounts.sort(Comparator.comparingInt(String::length).reversed());
      mounts.forEach(point -> ModelServerImages.run(List.of("umount", "-l", point)));
    }
  }

  /** A 10.213.x.0/24 no interface or route of this machine uses (docker0 has 172.17.0.0/16 here). */
  private static String freeSubnet() {
    String routes = ModelServerImages.output(List.of("ip", "-4", "route")) + ModelServerImages.output(List.of("ip", "-4", "addr"));
    for (int attempt = 0; attempt < 100; attempt++) {
      String subnet = "10.213." + ThreadLocalRandom.current().nextInt(1, 255);
      if (!routes.contains(subnet + ".")) {
        return subnet;
      }
    }
    throw new IllegalStateException("no free 10.213.x.0/24 for the second engine's bridge");
  }

  private static Optional<Path> executable(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }

  private static void check(List<String> command, String what) throws IOException {
    int rc = ModelServerImages.run(command);
    if (rc != 0) {
      throw new IOException(what + " failed (exit " + rc + ")");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
