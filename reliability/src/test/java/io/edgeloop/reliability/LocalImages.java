package io.edgeloop.reliability;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The fault suite's infrastructure images, built here from the local Debian base ({@value #BASE},
 * made by {@code .ci/infra.sh}; there is no Docker Hub on these machines) and kept: an image is named
 * by a digest of everything that goes into it, so it is built once and rebuilt only when its inputs
 * change. Builds use the host's network (apt reaches Debian's mirror only that way here).
 */
final class LocalImages {
  static final String BASE = "local/debian:bookworm";

  private LocalImages() {}

  /** Skips the calling test, with the reason, where there is no Docker engine or no local base image. */
  static void assumeDocker() {
    Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
        "no Docker engine (DOCKER_HOST): the fault suite runs its infrastructure in containers; `bash .ci/infra.sh` starts one");
    Assumptions.assumeTrue(exists(DockerClientFactory.instance().client(), BASE),
        "no " + BASE + " image: `bash .ci/infra.sh` makes it with debootstrap");
  }

  /** Apache Kafka from the jars of the version the project builds with. */
  static String kafka() {
    return image("kafka", Map.of("libs", Path.of(System.getProperty("edgeloop.reliability.kafka-libs", "target/kafka-libs"))));
  }

  /**
   * Azurite's blob service, from the npm install {@code .ci/infra.sh} keeps in {@code
   * $EDGELOOP_INFRA_DIR/azurite} (default {@code /var/lib/edgeloop-ci}); skips the test where there is none.
   */
  static String azurite() {
    String infra = System.getenv().getOrDefault("EDGELOOP_INFRA_DIR", "/var/lib/edgeloop-ci");
    Path azurite = Path.of(infra, "azurite");
    Assumptions.assumeTrue(Files.isRegularFile(azurite.resolve("node_modules/azurite/package.json")),
        "no Azurite install at " + azurite + ": `bash .ci/infra.sh` makes it");
    return image("azurite", Map.of("azurite", azurite));
  }

  /** Debian's PostgreSQL 15 server. */
  static String postgres() {
    return image("postgres", Map.of());
  }

  private static synchronized String image(String name, Map<String, Path> files) {
    String image = "edgeloop-reliability/" + name + ":" + digest(name, files);
    DockerClient docker = DockerClientFactory.instance().client();
    if (exists(docker, image)) {
      return image;
    }
    ImageFromDockerfile build = new ImageFromDockerfile(image, false)
        .withFileFromClasspath("Dockerfile", "images/" + name + "/Dockerfile")
        .withFileFromClasspath("start.sh", "images/" + name + "/start.sh")
        .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"));
    files.forEach((path, source) -> build.withFileFromPath(path, source));
    try {
      return build.get();
    } catch (Exception e) {
      throw new IllegalStateException("building " + image + " failed: " + e.getMessage(), e);
    }
  }

  private static boolean exists(DockerClient docker, String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** The Dockerfile, the start script and the names and sizes of the other files. */
  private static String digest(String name, Map<String, Path> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String resource : List.of("Dockerfile", "start.sh")) {
        try (InputStream in = LocalImages.class.getResourceAsStream("/images/" + name + "/" + resource)) {
          if (in == null) {
            throw new IllegalStateException("no resource images/" + name + "/" + resource);
          }
          sha.update(in.readAllBytes());
        }
      }
      for (Map.Entry<String, Path> file : new TreeMap<>(files).entrySet()) {
        try (Stream<Path> walk = Files.walk(file.getValue())) {
          for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
            sha.update((file.getKey() + "/" + file.getValue().relativize(p) + ":" + Files.size(p) + "\n").getBytes());
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
