package io.edgeloop.launcher;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a test's stack left on the Docker engine, removed when the test ends (passed or failed): a
 * user's {@code up} or {@code demo} keeps its serving container on purpose, a test must not (they
 * would pile up and restart with dockerd). Only the test's own: containers labelled with its stack's
 * id ({@code io.edgeloop.stack}, from {@code <data-dir>/stack.id}) and the engine's copies of images
 * under its own repository prefix, never another stack's.
 */
public final class StackLeftovers {
  /** The label every container of a stack carries (deploy's {@code StackId.LABEL}). */
  static final String STACK_LABEL = "io.edgeloop.stack";

  private StackLeftovers() {}

  /**
   * Removes the containers of the stack whose data folder is {@code dataDir} and the images whose
   * repository is under {@code repositoryPrefix} (any registry); returns what was removed. Nothing
   * when the stack never got an id or no engine answers.
   */
  public static List<String> remove(Path dataDir, String repositoryPrefix) {
    List<String> removed = new ArrayList<>();
    Path idFile = dataDir.resolve("stack.id");
    try {
      String stackId = Files.exists(idFile) ? Files.readString(idFile).strip() : null;
      try (DockerClient docker = client()) {
        if (stackId != null && !stackId.isEmpty()) {
          for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(STACK_LABEL, stackId)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            removed.add("container " + String.join(",", c.getNames()));
          }
        }
        for (Image image : docker.listImagesCmd().withShowAll(true).exec()) {
          if (underPrefix(image, repositoryPrefix)) {
            docker.removeImageCmd(image.getId()).withForce(true).exec();
            removed.add("image " + image.getId());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // A cleanup that fails must not hide the test's own result; say so instead.
      System.out.println("could not remove the test stack's leftovers in " + dataDir + ": " + e);
    }
    if (!removed.isEmpty()) {
      System.out.println("removed the test stack's leftovers: " + removed);
    }
    return removed;
  }

  /** The ids of the containers (running or not) of the stack whose data folder is {@code dataDir}. */
  public static List<String> containers(Path dataDir) throws IOException {
    String stackId = Files.readString(dataDir.resolve("stack.id")).strip();
    try (DockerClient docker = client()) {
      return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(STACK_LABEL, stackId)).exec().stream().map(Container::getId).toList();
    }
  }

  /** Whether one of the image's names (tags, or digests for an image pulled by digest) is {@code <registry>/<prefix>/...}. */
  static boolean underPrefix(Image image, String prefix) {
    String marker = "/" + prefix + "/";
    return Stream.concat(names(image.getRepoTags()), names(image.getRepoDigests())).anyMatch(name -> name.contains(marker));
  }

  private static Stream<String> names(String[] names) {
    return names == null ? Stream.empty() : Arrays.stream(names);
  }

  private static DockerClient client() {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }
}
