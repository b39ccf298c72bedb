package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the model server's jars are found without a path relative to the working directory. */
class ServerJarsTest {
  @TempDir Path dir;

  @Test
  void shouldFindEveryListedJarOnThisTestsOwnClasspath() throws Exception {
    List<String> listed = ServerJars.listing();
    assertThat(listed).as("written by the build").contains("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "onnxruntime-1.28.0.jar");

    List<Path> jars = ServerJars.find(null);

    assertThat(jars).hasSameSizeAs(listed).allSatisfy(p -> assertThat(p).isRegularFile());
    assertThat(jars.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(listed);
  }

  @Test
  void shouldTakeAnotherVersionOfAListedArtifactButNotAMissingOne() throws Exception {
    Path server = Files.createFile(dir.resolve("edgeloop-model-server-0.1.0-SNAPSHOT.jar"));
    Path jackson = Files.createFile(dir.resolve("jackson-core-2.99.0.jar"));
    String classPath = server + File.pathSeparator + jackson + File.pathSeparator + dir.resolve("classes");

    assertThat(ServerJars.onClasspath(List.of("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "jackson-core-2.21.4.jar"), classPath))
        .hasValue(List.of(server, jackson));
    assertThat(ServerJars.onClasspath(List.of("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "netty-common-4.1.135.Final.jar"),
        classPath)).isEmpty();
    assertThat(ServerJars.artifactOf("netty-transport-native-epoll-4.1.135.Final-linux-x86_64.jar"))
        .isEqualTo("netty-transport-native-epoll");
  }

  /** {@code java -jar packaging-service-exec.jar}: the jars are inside it, where no classpath shows them. */
  @Test
  void shouldCopyTheListedJarsOutOfARunnableJarOnceAndShareTheCopy() throws Exception {
    Path jar = dir.resolve("packaging-service-exec.jar");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
      for (String name : List.of("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "jackson-core-2.21.4.jar", "spring-core-6.2.19.jar")) {
        zip.putNextEntry(new java.util.zip.ZipEntry("BOOT-INF/lib/" + name));
        zip.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    List<String> listed = List.of("jackson-core-2.21.4.jar", "edgeloop-model-server-0.1.0-SNAPSHOT.jar");
    Path cache = dir.resolve("cache/server-lib");

    List<Path> jars = ServerJars.inRunnableJar(listed, jar, cache).orElseThrow();

    assertThat(jars.stream().map(p -> p.getFileName().toString()))
        .containsExactly("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "jackson-core-2.21.4.jar");
    assertThat(jars.get(1)).hasContent("jackson-core-2.21.4.jar").startsWith(cache);
    try (var left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("one folder, no partial copy left").hasSize(1).noneMatch(n -> n.startsWith("."));
    }
    assertThat(ServerJars.inRunnableJar(listed, jar, cache)).as("the copy is reused").hasValue(jars);
    assertThat(ServerJars.inRunnableJar(List.of("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "netty-common-4.1.135.Final.jar"), jar, cache))
        .as("a listed jar missing from it").isEmpty();
    assertThat(ServerJars.inRunnableJar(listed, dir.resolve("no.jar"), cache)).isEmpty();
  }

  @Test
  void shouldSayWhereItLookedWhenAConfiguredFolderHasNoServer() {
    assertThatThrownBy(() -> ServerJars.find(dir))
        .hasMessageStartingWith(ServerLayers.NOT_FOUND + " " + dir)
        .hasMessageContaining("edgeloop.packaging.server-lib-dir");
  }
}
