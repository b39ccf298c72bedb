package io.edgeloop.training.snapshot;

import io.edgeloop.contracts.RunFailureReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A project folder frozen for a run: a zip of its files (minus ignored ones) and a content hash
 * (sha256 over sorted paths and bytes, independent of timestamps), which is the run's code hash.
 * Both directions are guarded: a folder's symbolic links may not leave it, an archive's entries may
 * not be absolute or contain {@code ..}, and the total size is bounded.
 */
public record ProjectSnapshot(byte[] zip, String hash, int files, long bytes) {

  /** Snapshots {@code root}, honouring {@code .gitignore} and {@code .edgeloopignore}. */
  public static ProjectSnapshot of(Path root, long maxBytes) throws IOException, SnapshotException {
    if (!Files.isDirectory(root)) {
      throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "project folder " + root + " does not exist");
    }
    Path realRoot = root.toRealPath();
    IgnoreRules ignore = IgnoreRules.read(realRoot);
    List<Path> files = new ArrayList<>();
    List<SnapshotException> problems = new ArrayList<>();
    Files.walkFileTree(realRoot, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        Path rel = realRoot.relativize(dir);
        return !rel.toString().isEmpty() && ignore.ignores(rel, true) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path rel = realRoot.relativize(file);
        if (ignore.ignores(rel, false)) {
          return FileVisitResult.CONTINUE;
        }
        if (Files.isSymbolicLink(file) && !file.toRealPath().startsWith(realRoot)) {
          problems.add(new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "symbolic link " + rel + " points outside the project"));
          return FileVisitResult.TERMINATE;
        }
        files.add(rel);
        return FileVisitResult.CONTINUE;
      }
    });
    if (!problems.isEmpty()) {
      throw problems.get(0);
    }
    files.sort(null);
    long total = 0;
    for (Path rel : files) {
      total += Files.size(realRoot.resolve(rel));
      if (total > maxBytes) {
        throw new SnapshotException(
            RunFailureReason.SNAPSHOT_TOO_LARGE, "project snapshot exceeds " + maxBytes + " bytes (add large files to .edgeloopignore)");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageDigest digest = sha256();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path rel : files) {
        String name = rel.toString().replace('\\', '/');
        byte[] content = Files.readAllBytes(realRoot.resolve(rel));
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(FileTime.fromMillis(0));
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
        update(digest, name, content);
      }
    }
    return new ProjectSnapshot(out.toByteArray(), HexFormat.of().formatHex(digest.digest()), files.size(), total);
  }

  /** Reads an archive (an uploaded snapshot) and checks it the same way; returns the snapshot with its content hash. */
  public static ProjectSnapshot ofArchive(byte[] zip, long maxBytes) throws IOException, SnapshotException {
    MessageDigest digest = sha256();
    List<String> names = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    long total = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = safeName(e.getName());
        if (e.isDirectory()) {
          continue;
        }
        byte[] content = readBounded(in, maxBytes - total, name);
        total += content.length;
        names.add(name);
        contents.add(content);
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> names.get(a).compareTo(names.get(b)));
    for (int i : order) {
      update(digest, names.get(i), contents.get(i));
    }
    return new ProjectSnapshot(zip, HexFormat.of().formatHex(digest.digest()), names.size(), total);
  }

  /** Unpacks into {@code dir} (which must be empty or absent). */
  public void extractTo(Path dir) throws IOException, SnapshotException {
    Files.createDirectories(dir);
    Path base = dir.toRealPath();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = safeName(e.getName());
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base)) {
          throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "archive entry " + e.getName() + " leaves the workspace");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Files.isSymbolicLink(target) || !target.toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(base)) {
          throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "archive entry " + e.getName() + " leaves the workspace");
        }
      }
    }
  }

  private static String safeName(String name) throws SnapshotException {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
      throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "archive entry '" + name + "' is an absolute path");
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        throw new SnapshotException(RunFailureReason.UNSAFE_SNAPSHOT, "archive entry '" + name + "' contains '..'");
      }
    }
    return n;
  }

  private static byte[] readBounded(InputStream in, long left, String name) throws IOException, SnapshotException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
      if (out.size() > left) {
        throw new SnapshotException(RunFailureReason.SNAPSHOT_TOO_LARGE, "project snapshot exceeds the size limit (at " + name + ")");
      }
    }
    return out.toByteArray();
  }

  private static void update(MessageDigest digest, String name, byte[] content) {
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(content);
    digest.update((byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
