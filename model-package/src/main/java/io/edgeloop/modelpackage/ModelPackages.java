package io.edgeloop.modelpackage;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads and writes model packages: a directory with {@value #ONNX_FILE} and {@value #MANIFEST_FILE}. */
public final class ModelPackages {

  public static final String ONNX_FILE = "model.onnx";
  public static final String MANIFEST_FILE = "edgeloop-model.json";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private ModelPackages() {}

  /**
   * Writes {@code model.onnx} and the manifest (with {@code onnxSha256} set from the bytes) into
   * {@code dir}, creating it if needed.
   *
   * @return the manifest as written
   */
  public static ModelManifest write(Path dir, ModelManifest manifest, byte[] onnx) throws IOException {
    Files.createDirectories(dir);
    ModelManifest stamped = manifest.withOnnxSha256(sha256(onnx));
    Files.write(dir.resolve(ONNX_FILE), onnx);
    Files.write(dir.resolve(MANIFEST_FILE), manifestBytes(stamped));
    return stamped;
  }

  /**
   * Reads a package directory and checks the ONNX bytes against the manifest's hash.
   *
   * @throws IOException if a file is missing or unreadable
   * @throws IllegalStateException if {@code model.onnx} does not match {@code onnxSha256}
   */
  public static ModelPackage read(Path dir) throws IOException {
    ModelManifest manifest = readManifest(dir);
    byte[] onnx = Files.readAllBytes(dir.resolve(ONNX_FILE));
    String actual = sha256(onnx);
    if (manifest.onnxSha256() != null && !manifest.onnxSha256().equals(actual)) {
      throw new IllegalStateException("model.onnx in " + dir + " has sha256 " + actual
          + " but the manifest says " + manifest.onnxSha256());
    }
    return new ModelPackage(manifest, onnx);
  }

  /** Reads only the manifest of a package directory. */
  public static ModelManifest readManifest(Path dir) throws IOException {
    return parseManifest(Files.readAllBytes(dir.resolve(MANIFEST_FILE)));
  }

  /** Parses manifest JSON (for packages stored as blobs); unknown fields are ignored. */
  public static ModelManifest parseManifest(byte[] json) throws IOException {
    return JSON.readValue(json, ModelManifest.class);
  }

  /** The manifest as JSON bytes, exactly as {@link #write} stores it. */
  public static byte[] manifestBytes(ModelManifest manifest) {
    try {
      return JSON.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /** A package in memory: its manifest and the ONNX graph bytes. */
  public record ModelPackage(ModelManifest manifest, byte[] onnx) {}
}
