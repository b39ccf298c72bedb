package io.edgeloop.packaging.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The docker-java alternative ({@code edgeloop.packaging.builder=docker}): the same
 * {@link ImageLayout} built by the Docker engine from a generated Dockerfile, one {@code COPY} per
 * layer (the build context is a tar written here, so file modes and times are exactly the layout's),
 * then pushed by the engine. The engine's layer cache keeps unchanged layers, so a new model version
 * pushes only its model layer; the engine stamps the build time into the config, so the digest is
 * not reproducible (use the Jib builder for that). Sizes are the engine's: uncompressed image size;
 * bytes pushed are the totals the engine reports for the layers it pushed.
 */
public final class DockerImageBuilder implements ImageBuilder {
  private static final Logger log = LoggerFactory.getLogger(DockerImageBuilder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerClient docker;
  private final ImageLayout layout;
  private final AuthConfig auth;

  /** @param auth registry credentials for the push, or null for anonymous */
  public DockerImageBuilder(DockerClient docker, ImageLayout layout, AuthConfig auth) {
    this.docker = docker;
    this.layout = layout;
    this.auth = auth;
  }

  @Override
  public BuiltImage build(ImageRequest request) throws ImageBuildException, InterruptedException {
    try {
      List<FileEntriesLayer> layers = layout.allLayers(request.packageDir());
      byte[] context = context(layers, dockerfile(layers.size(), request.labels(), request.environment()));
      try (InputStream in = new ByteArrayInputStream(context)) {
        docker.buildImageCmd(in).withTags(Set.of(request.target())).withPull(false).withRemove(true)
            .exec(new BuildImageResultCallback()).awaitImageId(10, TimeUnit.MINUTES);
      }
      PushProgress progress = push(request.target());
      long size = docker.inspectImageCmd(request.target()).exec().getSize();
      BuiltImage built = new BuiltImage(request.target(), progress.digest.get(), size, progress.pushedBytes(),
          layers.size() + 1, progress.pushed.size());
      log.info("docker built and pushed {} {}: {} bytes uncompressed, pushed {} bytes in {} layers", built.reference(),
          built.digest(), size, built.pushedBytes(), built.uploadedBlobs());
      return built;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // The engine or the registry behind it may be away for a while: retried until packaging gives up.
      throw new ImageBuildException(io.edgeloop.contracts.BuildFailureReason.BUILD_ERROR, true,
          "docker build/push of " + request.target() + " failed: " + e.getMessage(), e);
    }
  }

  private PushProgress push(String target) throws InterruptedException, IOException {
    int colon = target.lastIndexOf(':');
    PushProgress progress = new PushProgress();
    var push = docker.pushImageCmd(target.substring(0, colon)).withTag(target.substring(colon + 1));
    if (auth != null) {
      push.withAuthConfig(auth);
    }
    push.exec(progress).awaitCompletion(10, TimeUnit.MINUTES);
    if (progress.error.get() != null) {
      throw new IOException(progress.error.get());
    }
    if (progress.digest.get() == null) {
      throw new IOException("the engine reported no digest for " + target);
    }
    return progress;
  }

  /** FROM the base, one COPY per layer, then how the server runs, and the labels. */
  String dockerfile(int layerCount, Map<String, String> labels, Map<String, String> imageEnvironment)
      throws JsonProcessingException {
    StringBuilder file = new StringBuilder("FROM ").append(layout.baseImage() == null ? "scratch" : layout.baseImage())
        .append('\n');
    for (int i = 0; i < layerCount; i++) {
      file.append("COPY layer-").append(i).append("/ /\n");
    }
    Map<String, String> environment = new java.util.LinkedHashMap<>(layout.environment());
    environment.putAll(new TreeMap<>(imageEnvironment));
    for (Map.Entry<String, String> env : environment.entrySet()) {
      file.append("ENV ").append(env.getKey()).append('=').append(JSON.writeValueAsString(env.getValue())).append('\n');
    }
    file.append("EXPOSE ").append(ImageLayout.PORT).append('\n');
    file.append("USER ").append(layout.user()).append('\n');
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      file.append("LABEL ").append(JSON.writeValueAsString(label.getKey())).append('=')
          .append(JSON.writeValueAsString(label.getValue())).append('\n');
    }
    file.append("ENTRYPOINT ").append(JSON.writeValueAsString(layout.entrypoint())).append('\n');
    return file.toString();
  }

  /** The build context: the Dockerfile and {@code layer-<i>/<path>} per layer entry, with the layout's modes and times. */
  private static byte[] context(List<FileEntriesLayer> layers, String dockerfile) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] df = dockerfile.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry dfEntry = new TarArchiveEntry("Dockerfile");
      dfEntry.setSize(df.length);
      tar.putArchiveEntry(dfEntry);
      tar.write(df);
      tar.closeArchiveEntry();
      for (int i = 0; i < layers.size(); i++) {
        Set<String> dirs = new HashSet<>();
        for (FileEntry entry : layers.get(i).getEntries()) {
          String path = "layer-" + i + entry.getExtractionPath().toString();
          parents(tar, path, dirs, entry);
          boolean dir = Files.isDirectory(entry.getSourceFile());
          TarArchiveEntry t = new TarArchiveEntry(dir ? path + "/" : path);
          t.setMode((dir ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 : TarArchiveEntry.DEFAULT_FILE_MODE & ~0777)
              | entry.getPermissions().getPermissionBits());
          t.setModTime(entry.getModificationTime().toEpochMilli());
          if (dir) {
            dirs.add(path);
            tar.putArchiveEntry(t);
          } else {
            t.setSize(Files.size(entry.getSourceFile()));
            tar.putArchiveEntry(t);
            try (InputStream in = Files.newInputStream(entry.getSourceFile())) {
              in.transferTo(tar);
            }
          }
          tar.closeArchiveEntry();
        }
      }
    }
    return bytes.toByteArray();
  }

  private static void parents(TarArchiveOutputStream tar, String path, Set<String> dirs, FileEntry entry)
      throws IOException {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String dir = path.substring(0, slash);
      if (dirs.add(dir)) {
        TarArchiveEntry t = new TarArchiveEntry(dir + "/");
        t.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        t.setModTime(entry.getModificationTime().toEpochMilli());
        tar.putArchiveEntry(t);
        tar.closeArchiveEntry();
      }
    }
  }

  /** What the engine reports while pushing. */
  private static final class PushProgress extends ResultCallback.Adapter<PushResponseItem> {
    final Map<String, Long> totals = new ConcurrentHashMap<>();
    final Set<String> pushed = ConcurrentHashMap.newKeySet();
    final AtomicReference<String> digest = new AtomicReference<>();
    final AtomicReference<String> error = new AtomicReference<>();

    @Override
    public void onNext(PushResponseItem item) {
      if (item.isErrorIndicated()) {
        error.set(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError());
      }
      if ("Pushing".equals(item.getStatus()) && item.getProgressDetail() != null
          && item.getProgressDetail().getTotal() != null) {
        totals.put(item.getId(), item.getProgressDetail().getTotal());
      }
      if ("Pushed".equals(item.getStatus())) {
        pushed.add(item.getId());
      }
      if (item.getAux() != null && item.getAux().getDigest() != null) {
        digest.set(item.getAux().getDigest());
      }
    }

    long pushedBytes() {
      return pushed.stream().mapToLong(id -> totals.getOrDefault(id, 0L)).sum();
    }
  }
}
