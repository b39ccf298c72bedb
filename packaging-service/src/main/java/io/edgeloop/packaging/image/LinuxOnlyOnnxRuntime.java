package io.edgeloop.packaging.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The ONNX Runtime jar carries native libraries for every platform (43 MB); an image runs on Linux
 * x64 only, so this repacks the jar without the other platforms' natives. The result is cached by
 * the source jar's SHA-256 and written deterministically (fixed entry times, same order), so the
 * server layer keeps its digest from build to build.
 */
public final class LinuxOnlyOnnxRuntime {
  static final String NATIVE_PREFIX = "ai/onnxruntime/native/";
  static final String KEPT_PLATFORM = NATIVE_PREFIX + "linux-x64/";
  /** 1980-01-01 (local time is irrelevant: the same value every time), the zip format's earliest date. */
  private static final long FIXED_TIME = 315_532_800_000L;

  private final Path cacheDir;

  public LinuxOnlyOnnxRuntime(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** Whether {@code jar} is an ONNX Runtime jar (by file name). */
  public static boolean isOnnxRuntime(Path jar) {
    return jar.getFileName().toString().matches("onnxruntime-\\d.*\\.jar");
  }

  /** The Linux-x64-only copy of {@code jar}, made on first use. */
  public synchronized Path repack(Path jar) throws IOException {
    String sha = sha256(jar);
    String name = jar.getFileName().toString();
    Path target = cacheDir.resolve(sha.substring(0, 16)).resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(target.getParent(), ".repack-", ".jar");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (entry.getName().startsWith(NATIVE_PREFIX) && !entry.getName().startsWith(KEPT_PLATFORM)
            && !entry.getName().equals(NATIVE_PREFIX)) {
          continue;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(FIXED_TIME);
        out.putNextEntry(copy);
        in.transferTo(out);
        out.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
