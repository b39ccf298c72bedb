package io.edgeloop.modelserver.inference;

import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelserver.model.ModelLoadException;
import io.edgeloop.modelserver.model.OnnxModel;
import java.io.IOException;
import java.nio.file.Path;

/** Opens an edgeloop model package directory ({@code model.onnx} + {@code edgeloop-model.json}) for serving. */
public final class ModelPackageLoader {

  private ModelPackageLoader() {}

  /**
   * Reads the package, checks the graph against the manifest's hash and signature, and opens an
   * ONNX Runtime session for it.
   *
   * @throws ModelLoadException when the package is missing, corrupt or cannot be served
   */
  public static ServedModel load(Path dir, int intraOpThreads) {
    return load(dir, intraOpThreads, null);
  }

  /**
   * As {@link #load(Path, int)}, serving the model as {@code version} (the registry's version) instead
   * of the manifest's when it is not null.
   */
  public static ServedModel load(Path dir, int intraOpThreads, String version) {
    ModelPackages.ModelPackage pkg;
    try {
      pkg = ModelPackages.read(dir);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read the model package in " + dir + ": " + e.getMessage(), e);
    }
    ModelManifest manifest = pkg.manifest();
    OnnxModel onnx = OnnxModel.load(pkg.onnx(), dir.resolve(ModelPackages.ONNX_FILE).toString(), intraOpThreads);
    try {
      return new ServedModel(manifest.name(), version != null ? version : String.valueOf(manifest.version()), onnx,
          manifest.signature(), manifest.preprocessing());
    } catch (RuntimeException e) {
      try {
        onnx.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }
}
