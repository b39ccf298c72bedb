package io.edgeloop.launcher;

import io.edgeloop.database.SecretFile;
import io.edgeloop.launcher.cli.KafkaBroker;
import io.edgeloop.launcher.cli.StackInfo;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The data folder of one stack, held for as long as the stack runs: a lock (two stacks on one
 * folder would share a database and a broker log), the stack's id ({@code stack.id}, a UUID made on
 * first use; containers carry it), the admin token ({@code admin.token}, mode 0600, made when
 * absent), {@code stack.json}, which says where the running stack listens, and, on a secured broker,
 * the services' Kafka client settings for the CLI.
 */
final class StackFolder implements AutoCloseable {
  static final String TOKEN_PREFIX = "elt_";
  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String stackId;

  private StackFolder(Path dir, FileChannel lockChannel, FileLock lock, String stackId) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.stackId = stackId;
  }

  static StackFolder open(Path dataDir) throws IOException {
    Path dir = Files.createDirectories(dataDir).toAbsolutePath().normalize();
    FileChannel channel = FileChannel.open(dir.resolve("stack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      String who = StackInfo.read(dir).map(info -> " (pid " + info.pid() + ")").orElse("");
      throw new IllegalStateException("another edgeloop" + who + " is running on " + dir + ": stop it, or use another --data-dir");
    }
    return new StackFolder(dir, channel, lock, stackId(dir.resolve("stack.id")));
  }

  private static String stackId(Path file) throws IOException {
    if (Files.exists(file)) {
      String id = Files.readString(file).strip();
      try {
        return UUID.fromString(id).toString();
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " holds '" + id + "', not a UUID: restore it, or delete it to give this folder a new stack id");
      }
    }
    String id = UUID.randomUUID().toString();
    Files.writeString(file, id + "\n");
    return id;
  }

  Path dir() {
    return dir;
  }

  String stackId() {
    return stackId;
  }

  /** The admin token file, with a new token ({@code elt_} + 43 characters) written when there is none. */
  Path adminToken() throws IOException {
    Path file = dir.resolve("admin.token");
    SecretFile.readOrCreate(file, TOKEN_PREFIX + SecretFile.randomBase64Url(32));
    return file;
  }

  void publish(StackInfo info) throws IOException {
    info.write(dir);
  }

  /**
   * The client settings the services use for a secured broker ({@code security.*}, {@code sasl.*},
   * {@code ssl.*}), for the CLI's Kafka commands ({@code events}, {@code dlq}): mode 0600 from the
   * start, as they hold the broker's credentials; no settings (a plain broker), no file.
   */
  void publishKafkaClientSettings(Map<String, String> settings) throws IOException {
    Path file = dir.resolve(KafkaBroker.SETTINGS_FILE);
    if (settings.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    Properties properties = new Properties();
    properties.putAll(settings);
    Path tmp = dir.resolve(KafkaBroker.SETTINGS_FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer writer = Files.newBufferedWriter(tmp)) {
      properties.store(writer, "the Kafka client settings of this stack's services, for edgeloop events and dlq; removed when the stack stops");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes {@code stack.json} (nothing listens any more) and the Kafka client settings, and releases the folder. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(dir.resolve(StackInfo.FILE));
    Files.deleteIfExists(dir.resolve(KafkaBroker.SETTINGS_FILE));
    lock.release();
    lockChannel.close();
  }
}
