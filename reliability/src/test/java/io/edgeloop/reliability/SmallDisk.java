package io.edgeloop.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited tmpfs mounted on a folder of the test's, filled to the last byte and emptied again:
 * a disk that runs full for real (ENOSPC from the kernel). Mounting needs root (CI runs as root);
 * elsewhere the calling test is skipped with that reason.
 */
final class SmallDisk implements AutoCloseable {
  private final Path mount;
  private final Path filler;

  private SmallDisk(Path mount) {
    this.mount = mount;
    this.filler = mount.resolve(".filler");
  }

  static SmallDisk mount(Path folder, String size) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString()),
        "cannot mount a size-limited tmpfs on " + folder + " (needs root)");
    return new SmallDisk(folder);
  }

  /** Writes until the disk refuses another byte. */
  void fill() throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", mount.toString());
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor() == 0;
  }
}
